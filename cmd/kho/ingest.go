package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"kho/index"
	"kho/internal/ingest"
	"kho/internal/legacy"
)

// ingestFlags are kho ingest's flags, parsed into a plain struct.
type ingestFlags struct {
	index, format, source, tz, report string
	encoding                          legacy.Encoding
	paths                             []string
}

func parseIngestFlags(args []string, stderr io.Writer) (ingestFlags, error) {
	var f ingestFlags
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.index, "index", defaultIndex, "index directory (created when absent)")
	fs.StringVar(&f.format, "format", "auto", "input format: auto, jsonl, json, text or html")
	fs.StringVar(&f.source, "source", "", "source of records that name none (default: the file's base name, or a page's folder name)")
	fs.StringVar(&f.tz, "tz", "", "archive time zone for dates without one (default: the index's, else "+index.DefaultTimeZone+")")
	fs.StringVar(&f.report, "report", "", "write every skipped, repaired or converted record to `FILE` as JSON Lines")
	fs.Var(&f.encoding, "encoding", "text encoding: auto (detect TCVN3, VNI, VISCII per file and field), utf8, tcvn3, vni or viscii")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho ingest [--index DIR] [--format auto|jsonl|json|text|html] [--encoding auto|utf8|tcvn3|vni|viscii] [--source NAME] [--tz ZONE] [--report FILE] PATH...\n\nPATH may be a file, a directory (read recursively) or - for stdin.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return f, usageError{err.Error()}
	}
	if f.paths = fs.Args(); len(f.paths) == 0 {
		return f, usageError{"kho ingest: no PATH given (a file, a directory, or - for stdin)"}
	}
	return f, nil
}

func runIngest(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f, err := parseIngestFlags(args, stderr)
	if err != nil {
		return err
	}
	format, err := ingest.ParseFormat(f.format)
	if err != nil {
		return usageError{err.Error()}
	}
	var zone *time.Location
	if f.tz != "" {
		if zone, err = time.LoadLocation(f.tz); err != nil {
			return usageError{fmt.Sprintf("--tz %q: %v", f.tz, err)}
		}
	}
	ix, err := index.OpenOrCreate(f.index, index.Options{TimeZone: zone, Bulk: true})
	if err != nil {
		return err
	}
	var report io.Writer
	if f.report != "" {
		file, err := os.Create(f.report)
		if err != nil {
			ix.Close()
			return fmt.Errorf("create report: %w", err)
		}
		defer file.Close()
		report = file
	}
	in := ingest.New(ingest.Options{
		Format: format, Source: f.source, Location: ix.Location(), Report: report, Stdin: stdin, Encoding: f.encoding,
	})
	limitIngestMemory()
	w := ix.NewWriter(index.WriterOptions{OnResult: in.Outcome})
	stopProgress := showProgress(in, stderr)
	sum, runErr := in.Run(ctx, f.paths, w)
	stopProgress()
	var compacted time.Duration
	var compactErr error
	if runErr == nil && !sum.Interrupted {
		compacted, compactErr = compactAfter(ctx, ix, sum, stderr)
	}
	closeErr := ix.Close()
	if err := sum.WriteText(stdout); err != nil {
		return err
	}
	if compacted > 0 {
		fmt.Fprintf(stdout, "compacted    %s (one segment: faster searches)\n", compacted.Round(time.Millisecond))
	}
	switch {
	case runErr != nil:
		return runErr
	case compactErr != nil && ctx.Err() != nil:
		// Interrupted while merging: the index is whole, in several segments.
		return errInterrupted
	case compactErr != nil:
		return compactErr
	case closeErr != nil:
		return fmt.Errorf("close index: %w", closeErr)
	case sum.Interrupted:
		return errInterrupted
	}
	return nil
}

// compactAfter merges the index into one segment when the run sum
// describes wrote enough of it (index.WorthCompacting), saying so on log,
// and returns how long that took: 0 when it did not.
func compactAfter(ctx context.Context, ix *index.Index, sum *ingest.Summary, log io.Writer) (time.Duration, error) {
	if !ix.WorthCompacting(uint64(sum.Added + sum.Updated)) {
		return 0, nil
	}
	fmt.Fprintln(log, "kho ingest: merging the index into one segment")
	start := time.Now()
	err := ix.Compact(ctx)
	return time.Since(start), err
}

// errInterrupted ends an ingest stopped by Ctrl-C or SIGTERM after its
// batch was flushed; running the same command again finishes the job.
var errInterrupted = exitError{code: 130, msg: "interrupted; run the same command again to finish"}

// ingestMemoryLimit is the heap size at which an ingest's garbage collector
// starts working harder (GOMEMLIMIT overrides it): without it the heap of a
// long ingest grows to twice its live size and peak RSS wanders past 2 GB.
// 1 GiB cost the corpus ingest a tenth more CPU in garbage collection than
// 1.25 GiB (BENCHMARKS.md "Ingest").
const ingestMemoryLimit = 1152 << 20

// ingestGCPercent lets the heap grow to three times its live size before a
// collection (GOGC overrides it), the limit above bounding it: the corpus
// ingest took 6 % less CPU than with Go's 100 and a 1.25 GiB limit. With
// 1.25 GiB and 200, peak RSS came within 5 % of the 1.5 GiB floor; 1.125
// GiB keeps it about 1.3 GiB (BENCHMARKS.md "Ingest").
const ingestGCPercent = 200

func limitIngestMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(ingestMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(ingestGCPercent)
	}
}
