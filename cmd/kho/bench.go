package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"kho/index"
	"kho/internal/bench"
	"kho/internal/ingest"
)

// benchFlags are kho bench's flags.
type benchFlags struct {
	dir, profile, jsonOut string
	reuse                 bool
	queries, rounds       int
	minLoad               time.Duration
	seed                  uint64
	worker, cpuprofile    string
	paths                 []string
}

func parseBenchFlags(args []string, stderr io.Writer) (benchFlags, error) {
	var f benchFlags
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.dir, "dir", "", "build both indexes in `DIR` and keep them (default: a temporary directory, removed)")
	fs.BoolVar(&f.reuse, "reuse", false, "reuse the indexes --dir holds from an earlier run: skip both ingests")
	fs.IntVar(&f.queries, "queries", 200, "number of queries drawn from the archive")
	fs.IntVar(&f.rounds, "rounds", 3, "requests at concurrency 16, in passes over the queries")
	fs.DurationVar(&f.minLoad, "min-load", 10*time.Second, "send more passes at concurrency 16 when --rounds take less than this")
	fs.Uint64Var(&f.seed, "seed", 1, "seed for drawing the queries")
	fs.StringVar(&f.profile, "profile", "", "write a CPU profile of every ingest and server process to `DIR`")
	fs.StringVar(&f.jsonOut, "json", "", "also write the result as JSON to `FILE`")
	fs.StringVar(&f.worker, "worker", "", "(internal) run one part in this process: kho-ingest, kho-serve, fts5-ingest or fts5-serve")
	fs.StringVar(&f.cpuprofile, "cpuprofile", "", "(internal, with --worker) write a CPU profile to `FILE`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho bench [--dir DIR] [--reuse] [--queries N] [--rounds N] [--min-load D] [--profile DIR] [--json FILE] PATH...\n\n"+
			"Ingests PATH into kho and into an SQLite FTS5 baseline, serves each from its own process, sends both\n"+
			"the same queries at concurrency 1 and 16, and prints both engines' figures and their ratio.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return f, usageError{err.Error()}
	}
	f.paths = fs.Args()
	if f.worker == "" && len(f.paths) == 0 {
		return f, usageError{"kho bench: no PATH given"}
	}
	if f.reuse && f.dir == "" {
		return f, usageError{"kho bench: --reuse needs --dir"}
	}
	if f.queries <= 0 || f.rounds <= 0 || f.minLoad < 0 {
		return f, usageError{"kho bench: --queries and --rounds must be positive, --min-load not negative"}
	}
	return f, nil
}

func runBench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f, err := parseBenchFlags(args, stderr)
	if err != nil {
		return err
	}
	if f.worker != "" {
		return benchWorker(ctx, f, stdin, stdout, stderr)
	}
	dir := f.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "kho-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if f.profile != "" {
		if err := os.MkdirAll(f.profile, 0o755); err != nil {
			return err
		}
	}
	r, err := benchmark(ctx, f, dir, stderr)
	if err != nil {
		return err
	}
	r.WriteMarkdown(stdout)
	if f.jsonOut != "" {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(f.jsonOut, b, 0o644)
	}
	return nil
}

// benchmark reads the archive once for its size and queries, builds both
// indexes, then serves and queries each in turn.
func benchmark(ctx context.Context, f benchFlags, dir string, stderr io.Writer) (*bench.Result, error) {
	loc, err := time.LoadLocation(index.DefaultTimeZone)
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r := &bench.Result{Date: time.Now(), Inputs: f.paths, Kho: bench.Engine{Name: "kho"}, FTS5: bench.Engine{Name: "FTS5"}}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "kho bench: "+format+"\n", args...) }

	logf("reading %v", f.paths)
	sampler := bench.NewSampler(5000, f.seed, loc)
	cpu0, start := cpuTime(), time.Now()
	sum, err := ingest.New(ingest.Options{Location: loc}).Run(ctx, f.paths, sampler)
	if err != nil {
		return nil, err
	}
	if sampler.Articles() == 0 {
		// Nothing to compare: a wrong path would otherwise give a table of
		// zeros that looks like a result.
		return nil, fmt.Errorf("no article in %v (%d files read, skipped: %v)", f.paths, sum.Files, sum.Skipped)
	}
	r.Scan = bench.Usage{Wall: time.Since(start), CPU: cpuTime() - cpu0}
	r.Articles, r.TextBytes = sampler.Articles(), sampler.TextBytes
	r.Queries = sampler.Queries(f.queries, f.seed)
	logf("%d articles, %.0f MB of text, %d queries, read in %s", r.Articles, float64(r.TextBytes)/(1<<20), len(r.Queries), r.Scan.Wall.Round(time.Second))

	khoIndex, ftsDB := filepath.Join(dir, "kho.bleve"), filepath.Join(dir, "fts5.db")
	worker := func(role string) []string {
		a := []string{"bench", "--worker", role}
		if f.profile != "" {
			a = append(a, "--cpuprofile", filepath.Join(f.profile, role+".pprof"))
		}
		return append(a, "--")
	}
	if !f.reuse {
		for _, p := range []string{khoIndex, ftsDB, ftsDB + "-wal", ftsDB + "-shm"} {
			if err := os.RemoveAll(p); err != nil {
				return nil, err
			}
		}
		logf("kho ingest …")
		args := append(append(worker("kho-ingest"), "--index", khoIndex), f.paths...)
		if r.Kho.Ingest, err = bench.RunChild(ctx, filepath.Join(dir, "kho-ingest.log"), self, args...); err != nil {
			return nil, err
		}
		logf("kho ingest: %s", r.Kho.Ingest.Wall.Round(time.Second))
		logf("FTS5 ingest …")
		args = append(append(worker("fts5-ingest"), ftsDB), f.paths...)
		if r.FTS5.Ingest, err = bench.RunChild(ctx, filepath.Join(dir, "fts5-ingest.log"), self, args...); err != nil {
			return nil, err
		}
		logf("FTS5 ingest: %s", r.FTS5.Ingest.Wall.Round(time.Second))
		if err := saveIngest(dir, r); err != nil {
			return nil, err
		}
	} else if err := loadIngest(dir, r); err != nil {
		return nil, err
	}
	r.Kho.IndexBytes, _ = dirSize(khoIndex)
	r.FTS5.IndexBytes, _ = dirSize(ftsDB)
	for _, e := range []struct {
		engine *bench.Engine
		args   []string
	}{
		{&r.Kho, append(worker("kho-serve"), "--index", khoIndex, "--addr", "127.0.0.1:0")},
		{&r.FTS5, append(worker("fts5-serve"), ftsDB, "127.0.0.1:0")},
	} {
		logf("%s: serving and querying …", e.engine.Name)
		if err := serveAndQuery(ctx, self, dir, e.engine, e.args, r.Queries, f.rounds, f.minLoad); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// ingestFile keeps the ingest figures beside the indexes for --reuse.
const ingestFile = "ingest.json"

func saveIngest(dir string, r *bench.Result) error {
	b, err := json.Marshal(map[string]bench.Usage{"kho": r.Kho.Ingest, "fts5": r.FTS5.Ingest})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ingestFile), b, 0o644)
}

func loadIngest(dir string, r *bench.Result) error {
	b, err := os.ReadFile(filepath.Join(dir, ingestFile))
	if err != nil {
		return fmt.Errorf("--reuse: %w (was --dir built by kho bench?)", err)
	}
	var u map[string]bench.Usage
	if err := json.Unmarshal(b, &u); err != nil {
		return fmt.Errorf("--reuse: %s: %w", ingestFile, err)
	}
	r.Kho.Ingest, r.FTS5.Ingest = u["kho"], u["fts5"]
	return nil
}

// serveAndQuery starts an engine's server, warms it up with every query
// once, then sends every query at concurrency 1 and rounds passes at
// concurrency 16, and reads the server's memory before stopping it.
func serveAndQuery(ctx context.Context, self, dir string, e *bench.Engine, args []string, queries []bench.Query, rounds int, minLoad time.Duration) error {
	srv, err := bench.StartServer(ctx, filepath.Join(dir, e.Name+"-serve.log"), self, args...)
	if err != nil {
		return err
	}
	defer srv.Stop()
	t := bench.NewTarget(e.Name, srv.BaseURL)
	if _, err := bench.Load(ctx, t, queries, 2, len(queries)); err != nil {
		return fmt.Errorf("warm up: %w", err)
	}
	for _, c := range []struct{ concurrency, requests int }{{1, len(queries)}, {16, rounds * len(queries)}} {
		run, err := bench.Load(ctx, t, queries, c.concurrency, c.requests)
		// A run shorter than minLoad is sent again with as many passes as
		// fill it: kho's 200 searches at a million articles took two
		// seconds, too short to tell its rate from a shared machine's
		// noise; FTS5's take minutes.
		if err == nil && c.concurrency > 1 && run.Wall < minLoad {
			passes := int(math.Ceil(minLoad.Seconds() / max(run.Wall.Seconds(), 1e-3) * float64(rounds)))
			run, err = bench.Load(ctx, t, queries, c.concurrency, passes*len(queries))
		}
		if err != nil {
			return err
		}
		e.Runs = append(e.Runs, run)
	}
	e.ServeRSS, e.ServePeak, err = srv.Memory()
	return err
}

// benchWorker runs one engine's ingest or server in this process, so the
// parent measures its time and memory alone.
func benchWorker(ctx context.Context, f benchFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	stop, err := startCPUProfile(f.cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	switch f.worker {
	case "kho-ingest":
		return runIngest(ctx, f.paths, stdin, stdout, stderr)
	case "kho-serve":
		return runServe(ctx, f.paths, stdin, stdout, stderr)
	case "fts5-ingest":
		return fts5Ingest(ctx, f.paths, stdout)
	case "fts5-serve":
		return fts5Serve(ctx, f.paths, stdout)
	}
	return usageError{fmt.Sprintf("kho bench: unknown --worker %q", f.worker)}
}

// fts5Ingest builds the baseline database (args: DB PATH...) through the same
// ingest pipeline as kho.
func fts5Ingest(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) < 2 {
		return usageError{"fts5-ingest: DB PATH..."}
	}
	loc, err := time.LoadLocation(index.DefaultTimeZone)
	if err != nil {
		return err
	}
	db, err := bench.OpenFTS5(args[0], false)
	if err != nil {
		return err
	}
	defer db.Close()
	w, err := bench.NewFTS5Writer(db, loc)
	if err != nil {
		return err
	}
	sum, err := ingest.New(ingest.Options{Location: loc}).Run(ctx, args[1:], w)
	if err != nil {
		return err
	}
	if err := w.Close(ctx); err != nil {
		return err
	}
	return sum.WriteText(stdout)
}

// fts5Serve serves the baseline (args: DB ADDR) until interrupted.
func fts5Serve(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 2 {
		return usageError{"fts5-serve: DB ADDR"}
	}
	loc, err := time.LoadLocation(index.DefaultTimeZone)
	if err != nil {
		return err
	}
	db, err := bench.OpenFTS5(args[0], true)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	ln, err := net.Listen("tcp", args[1])
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bench.FTS5Handler(db, loc)}
	fmt.Fprintf(stdout, "fts5: serving %s on http://%s\n", args[0], ln.Addr())
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// startCPUProfile writes a CPU profile to path until stop is called; with an
// empty path it does nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	out, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		out.Close()
	}, nil
}
