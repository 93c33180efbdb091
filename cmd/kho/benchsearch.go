package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"kho/index"
	"kho/internal/article"
	"kho/internal/ingest"
	"kho/internal/request"
	"kho/internal/vntext"
)

// runBenchSearch replays a seeded mix of realistic searches (title fragments
// with and without diacritics, filters, sorts, deep pages, empty queries;
// facets and highlights always on) against an existing index, one at a time
// and then from many goroutines, and prints latency percentiles and
// throughput. The queries are sampled from the archives the index was built
// from, so most of them find something.
func runBenchSearch(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench-search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	indexDir := fs.String("index", defaultIndex, "index built from PATH (kho ingest)")
	n := fs.Int("queries", 3000, "queries per run")
	levels := fs.String("concurrency", "1,16", "comma-separated numbers of concurrent searchers")
	seed := fs.Uint64("seed", 1, "seed of the query mix")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs to this file")
	slowest := fs.Int("slowest", 0, "list this many of the slowest searches of the first run")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho bench-search [flags] PATH...\n\nReplays searches sampled from the archives at PATH against --index (built from PATH)\nand prints latency percentiles and throughput.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{"kho bench-search: no PATH given (the archives the index was built from)"}
	}
	conc, err := parseLevels(*levels)
	if err != nil {
		return usageError{"--concurrency: " + err.Error()}
	}
	ix, err := index.Open(*indexDir, index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	arts, err := readArticles(ctx, fs.Args(), ix.Location())
	if err != nil {
		return err
	}
	qs := newQueryMix(arts, *seed).sample(*n)
	reqs, err := parseAll(qs, ix)
	if err != nil {
		return err
	}
	count, _ := ix.Count()
	fmt.Fprintf(stdout, "index %s: %d articles; %d queries sampled from %d articles (seed %d)\n",
		*indexDir, count, len(reqs), len(arts), *seed)

	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	// Warm the page cache and bleve's caches with the first queries.
	if _, err := replay(ctx, ix, reqs[:min(len(reqs), 300)], 2); err != nil {
		return err
	}
	for i, c := range conc {
		r, err := replay(ctx, ix, reqs, c)
		if err != nil {
			return err
		}
		r.print(stdout, fmt.Sprintf("concurrency %d", c))
		if i == 0 && *slowest > 0 {
			r.printSlowest(stdout, qs, *slowest)
		}
	}
	empty := make([]timedRequest, 100)
	for i := range empty {
		empty[i] = timedRequest{kind: kindEmpty, req: index.SearchRequest{Page: 1, Size: 10}}
	}
	r, err := replay(ctx, ix, empty, 1)
	if err != nil {
		return err
	}
	r.print(stdout, "empty query with facets, whole archive, concurrency 1")
	return nil
}

func parseLevels(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, c)
	}
	return out, nil
}

// readArticles runs the archives through ingest without writing them, to
// sample queries from what the index holds.
func readArticles(ctx context.Context, paths []string, loc *time.Location) ([]*article.Article, error) {
	in := ingest.New(ingest.Options{Location: loc})
	var sink collectSink
	if _, err := in.Run(ctx, paths, &sink); err != nil {
		return nil, fmt.Errorf("read %s: %w", strings.Join(paths, " "), err)
	}
	if len(sink.articles) == 0 {
		return nil, fmt.Errorf("no articles in %s", strings.Join(paths, " "))
	}
	return sink.articles, nil
}

type collectSink struct{ articles []*article.Article }

func (s *collectSink) Add(_ context.Context, a *article.Article) error {
	s.articles = append(s.articles, a)
	return nil
}

func (s *collectSink) Flush(context.Context) error { return nil }

// Kinds of queries in the mix, reported separately.
const (
	kindWords    = "words"
	kindFiltered = "words + filter"
	kindSorted   = "words, by date"
	kindEmpty    = "empty + facets"
)

var queryKinds = []string{kindWords, kindFiltered, kindSorted, kindEmpty}

type mixQuery struct {
	kind   string
	params url.Values
}

// queryMix draws queries the way readers and editors type them: a few
// words of a headline they remember, usually without diacritics, sometimes
// narrowed to a paper, a section or a period, sometimes sorted by date.
type queryMix struct {
	arts []*article.Article
	rng  *rand.Rand
}

func newQueryMix(arts []*article.Article, seed uint64) *queryMix {
	return &queryMix{arts: arts, rng: rand.New(rand.NewPCG(seed, 0x6b686f))}
}

func (m *queryMix) sample(n int) []mixQuery {
	out := make([]mixQuery, 0, n)
	for len(out) < n {
		if q, ok := m.one(); ok {
			out = append(out, q)
		}
	}
	return out
}

func (m *queryMix) one() (mixQuery, bool) {
	a := m.arts[m.rng.IntN(len(m.arts))]
	v := url.Values{}
	kind := kindWords
	roll := m.rng.Float64()
	if roll >= 0.06 { // 6% list the archive (or a filtered part of it) without words
		q, ok := m.words(a.Title)
		if !ok {
			return mixQuery{}, false
		}
		v.Set("q", q)
	} else {
		kind = kindEmpty
	}
	switch f := m.rng.Float64(); {
	case f < 0.12:
		v.Set("source", a.Source)
	case f < 0.18 && a.Category != "":
		v.Set("category", a.Category)
	case f < 0.30 && !a.Published.IsZero():
		y := a.Published.Year()
		v.Set("from", strconv.Itoa(y-m.rng.IntN(2)))
		v.Set("to", strconv.Itoa(y))
	}
	if kind != kindEmpty && len(v) > 1 {
		kind = kindFiltered
	}
	switch s := m.rng.Float64(); {
	case s < 0.10:
		v.Set("sort", "newest")
	case s < 0.15:
		v.Set("sort", "oldest")
	}
	if kind == kindWords && v.Has("sort") {
		kind = kindSorted
	}
	if m.rng.Float64() < 0.10 {
		v.Set("page", "2")
	}
	return mixQuery{kind: kind, params: v}, true
}

// words picks 1–5 consecutive syllables of a title: folded (55%) or as
// written; now and then as a "phrase" or with a -word excluded.
func (m *queryMix) words(title string) (string, bool) {
	syls := vntext.Syllables(title)
	if len(syls) == 0 {
		return "", false
	}
	weights := []float64{0.15, 0.35, 0.25, 0.15, 0.10}
	n, r := 1, m.rng.Float64()
	for i, w := range weights {
		if r < w {
			n = i + 1
			break
		}
		r -= w
	}
	n = min(n, len(syls))
	start := m.rng.IntN(len(syls) - n + 1)
	ws := make([]string, n)
	for i, s := range syls[start : start+n] {
		ws[i] = s.Text
	}
	q := strings.Join(ws, " ")
	if m.rng.Float64() < 0.55 {
		q = vntext.Fold(q)
	}
	switch r := m.rng.Float64(); {
	case r < 0.05 && n >= 2:
		q = `"` + q + `"`
	case r < 0.08 && n >= 2:
		q = ws[0] + " -" + vntext.Fold(ws[n-1])
	}
	return q, true
}

type timedRequest struct {
	kind string
	req  index.SearchRequest
}

func parseAll(qs []mixQuery, ix *index.Index) ([]timedRequest, error) {
	out := make([]timedRequest, len(qs))
	for i, q := range qs {
		req, err := request.ParseSearch(q.params, ix.Location())
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.params.Encode(), err)
		}
		out[i] = timedRequest{kind: q.kind, req: req}
	}
	return out, nil
}

// replayResult holds the latency of every request of one run.
type replayResult struct {
	wall  time.Duration
	cpu   time.Duration // process CPU time during the run
	took  []time.Duration
	kinds []string
	hits  []uint64 // total matches of each search
}

// replay runs the requests from c goroutines, each taking the next one.
func replay(ctx context.Context, ix *index.Index, reqs []timedRequest, c int) (*replayResult, error) {
	r := &replayResult{took: make([]time.Duration, len(reqs)), kinds: make([]string, len(reqs)),
		hits: make([]uint64, len(reqs))}
	next := make(chan int)
	errs := make(chan error, c)
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for range c {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				res, err := ix.Search(ctx, reqs[i].req)
				if err != nil {
					errs <- fmt.Errorf("search %v: %w", reqs[i].req.Text, err)
					return
				}
				r.took[i], r.kinds[i], r.hits[i] = time.Since(t0), reqs[i].kind, res.Total
			}
		})
	}
	var err error
feed:
	for i := range reqs {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	r.wall, r.cpu = time.Since(start), cpuTime()-cpu0
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return r, err
}

// print shows throughput and latency, and the CPU time per search: on a
// shared machine wall-clock figures depend on the load, CPU time much less.
func (r *replayResult) print(w io.Writer, title string) {
	n := float64(len(r.took))
	fmt.Fprintf(w, "\n%s: %d searches in %.1fs, %.0f searches/s; CPU %.1fs, %s per search, %.0f searches per CPU-second\n",
		title, len(r.took), r.wall.Seconds(), n/r.wall.Seconds(), r.cpu.Seconds(), ms(r.cpu/time.Duration(len(r.took))), n/r.cpu.Seconds())
	fmt.Fprintf(w, "  %-16s %6s %8s %8s %8s %8s\n", "", "n", "p50", "p90", "p99", "max")
	line := func(name string, ds []time.Duration) {
		if len(ds) == 0 {
			return
		}
		slices.Sort(ds)
		fmt.Fprintf(w, "  %-16s %6d %8s %8s %8s %8s\n", name, len(ds), ms(pct(ds, 0.50)), ms(pct(ds, 0.90)),
			ms(pct(ds, 0.99)), ms(ds[len(ds)-1]))
	}
	line("all", slices.Clone(r.took))
	if len(slices.Compact(slices.Sorted(slices.Values(r.kinds)))) > 1 {
		for _, k := range queryKinds {
			var ds []time.Duration
			for i, d := range r.took {
				if r.kinds[i] == k {
					ds = append(ds, d)
				}
			}
			line(k, ds)
		}
	}
}

// printSlowest lists the n slowest searches with their parameters and
// number of matches, to see what makes the tail.
func (r *replayResult) printSlowest(w io.Writer, qs []mixQuery, n int) {
	idx := make([]int, len(r.took))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(r.took[b], r.took[a]) })
	fmt.Fprintf(w, "  slowest:\n")
	for _, i := range idx[:min(n, len(idx))] {
		fmt.Fprintf(w, "  %8s %7d matches  %s\n", ms(r.took[i]), r.hits[i], qs[i].params.Encode())
	}
}

// pct is the q-quantile of sorted durations (nearest rank).
func pct(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
