package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"kho/index"
	"kho/internal/article"
	"kho/internal/ingest"
)

// runBenchIngest measures ingest into a fresh on-disk index with the real
// mapping: articles/s, MB/s and peak memory, then the same input again
// (every article unchanged).
func runBenchIngest(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench-ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keep := fs.String("index", "", "build the index here and keep it (default: a temporary directory, removed)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of both passes to this file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho bench-ingest [--index DIR] PATH...\n\nIngests PATH into a fresh index twice and prints articles/s, MB/s and peak RSS.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{"kho bench-ingest: no PATH given"}
	}
	dir := *keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "kho-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "kho.bleve")
	} else if _, err := os.Stat(dir); err == nil {
		return usageError{fmt.Sprintf("--index %s exists; the benchmark needs a fresh index", dir)}
	}
	limitIngestMemory()
	ix, err := index.Create(dir, index.Options{Bulk: true})
	if err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		ix.Close()
		return err
	}
	defer stop()
	for _, pass := range []string{"first ingest", "again (unchanged)"} {
		if err := benchPass(ctx, ix, pass, fs.Args(), stdout); err != nil {
			ix.Close()
			return err
		}
	}
	start := time.Now()
	if err := ix.Close(); err != nil {
		return err
	}
	size, _ := dirSize(dir)
	fmt.Fprintf(stdout, "close %s; index %.1f MB on disk; peak RSS %.0f MB\n",
		time.Since(start).Round(time.Millisecond), float64(size)/(1<<20), float64(peakRSS())/(1<<20))
	return nil
}

func benchPass(ctx context.Context, ix *index.Index, name string, paths []string, stdout io.Writer) error {
	cpu0 := cpuTime()
	in := ingest.New(ingest.Options{Location: ix.Location()})
	sink := &textCounter{Writer: ix.NewWriter(index.WriterOptions{OnResult: in.Outcome})}
	sum, err := in.Run(ctx, paths, sink)
	if err != nil {
		return err
	}
	// kho ingest merges the index into one segment after a run that wrote
	// much of it; so does the benchmark, and counts the time.
	compacted, err := compactAfter(ctx, ix, sum, io.Discard)
	if err != nil {
		return err
	}
	secs, cpu := (sum.Elapsed + compacted).Seconds(), (cpuTime() - cpu0).Seconds()
	fmt.Fprintf(stdout, "%s: %d articles (added %d, updated %d, unchanged %d, skipped %d)\n"+
		"  compacting into one segment: %.1fs (counted in what follows)\n"+
		"  wall %.1fs: %.0f articles/s, %.1f MB/s of files, %.1f MB/s of text\n"+
		"  CPU  %.1fs: %.0f articles per CPU-second (the machine is shared: wall time depends on the load)\n"+
		"  peak RSS %.0f MB\n",
		name, sum.Read, sum.Added, sum.Updated, sum.Unchanged, sum.SkippedTotal(),
		compacted.Seconds(), secs, float64(sum.Read)/secs, float64(sum.Bytes)/(1<<20)/secs, float64(sink.bytes)/(1<<20)/secs,
		cpu, float64(sum.Read)/cpu, float64(peakRSS())/(1<<20))
	return nil
}

// textCounter counts the article text going into the index.
type textCounter struct {
	*index.Writer
	bytes int64
}

func (c *textCounter) Add(ctx context.Context, a *article.Article) error {
	c.bytes += int64(a.TextBytes())
	return c.Writer.Add(ctx, a)
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set size (Linux VmHWM), 0 elsewhere.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
		return nil
	})
	return n, err
}
