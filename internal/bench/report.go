package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Engine is what one engine measured.
type Engine struct {
	Name       string
	Ingest     Usage
	IndexBytes int64
	Runs       []*Run // at concurrency 1 and 16
	ServeRSS   int64  // VmRSS after the runs
	ServePeak  int64  // VmHWM after the runs
}

// Result is one benchmark: the archive, the queries and both engines.
type Result struct {
	Date      time.Time
	Inputs    []string
	Articles  int
	TextBytes int64
	Scan      Usage // decoding and cleaning the input alone
	Queries   []Query
	Kho, FTS5 Engine
}

// run is the engine's run at concurrency c, or nil.
func (e *Engine) run(c int) *Run {
	for _, r := range e.Runs {
		if r.Concurrency == c {
			return r
		}
	}
	return nil
}

// Floors are the targets of issue 7 for kho at 1,000,000 articles.
var floors = []struct {
	what string
	ok   func(r *Result) (string, bool)
}{
	{"ingest ≥ 2,500 articles/s", func(r *Result) (string, bool) {
		v := r.rate(&r.Kho)
		return fmt.Sprintf("%.0f/s", v), v >= 2500
	}},
	{"index ≤ 2.5 × text", func(r *Result) (string, bool) {
		v := float64(r.Kho.IndexBytes) / float64(r.TextBytes)
		return fmt.Sprintf("%.2f ×", v), v <= 2.5
	}},
	{"serve RSS ≤ 4 GiB", func(r *Result) (string, bool) {
		return mb(r.Kho.ServePeak), r.Kho.ServePeak <= 4<<30
	}},
	{"c=1 p50 ≤ 25 ms", func(r *Result) (string, bool) {
		v := r.pct(&r.Kho, 1, 50, nil)
		return ms(v), v <= 25*time.Millisecond
	}},
	{"c=1 p99 ≤ 150 ms", func(r *Result) (string, bool) {
		v := r.pct(&r.Kho, 1, 99, nil)
		return ms(v), v <= 150*time.Millisecond
	}},
	{"c=16 ≥ 100 queries/s", func(r *Result) (string, bool) {
		run := r.Kho.run(16)
		if run == nil {
			return "-", false
		}
		return fmt.Sprintf("%.0f/s", run.QPS()), run.QPS() >= 100
	}},
	{"empty query with facets p50 ≤ 20 ms", func(r *Result) (string, bool) {
		v := r.pct(&r.Kho, 1, 50, r.emptyOnly)
		return ms(v), v <= 20*time.Millisecond
	}},
	{"c=1 p50 ≤ ¼ of FTS5's", func(r *Result) (string, bool) {
		k, f := r.pct(&r.Kho, 1, 50, nil), r.pct(&r.FTS5, 1, 50, nil)
		return ratio(float64(k), float64(f)), 4*k <= f
	}},
	{"c=1 p99 ≤ ¼ of FTS5's", func(r *Result) (string, bool) {
		k, f := r.pct(&r.Kho, 1, 99, nil), r.pct(&r.FTS5, 1, 99, nil)
		return ratio(float64(k), float64(f)), 4*k <= f
	}},
	{"ingest ≥ 0.6 × FTS5's articles/s", func(r *Result) (string, bool) {
		k, f := r.rate(&r.Kho), r.rate(&r.FTS5)
		return ratio(k, f), k >= 0.6*f
	}},
}

func (r *Result) rate(e *Engine) float64 {
	if e.Ingest.Wall <= 0 {
		return 0
	}
	return float64(r.Articles) / e.Ingest.Wall.Seconds()
}

func (r *Result) pct(e *Engine, c int, p float64, keep func(int) bool) time.Duration {
	run := e.run(c)
	if run == nil {
		return 0
	}
	return Percentile(run.Latencies(keep), p)
}

func (r *Result) emptyOnly(qi int) bool { return r.Queries[qi].Text == "" }

// WriteMarkdown prints the comparison table, latencies by kind of query,
// how far the engines agree on the number of matches, and the floors.
func (r *Result) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "%s: %s articles, %s of text, %d queries\n\n", r.Date.Format("2006-01-02 15:04"),
		count(r.Articles), mb(r.TextBytes), len(r.Queries))
	fmt.Fprintln(w, "| | kho | FTS5 | kho / FTS5 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	row := func(name string, k, f float64, format func(float64) string) {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name, format(k), format(f), ratio(k, f))
	}
	perSec := func(v float64) string { return count(int(v+0.5)) + "/s" }
	bytes := func(v float64) string { return mb(int64(v)) }
	dur := func(v float64) string { return ms(time.Duration(v)) }
	row("ingest, articles/s (wall)", r.rate(&r.Kho), r.rate(&r.FTS5), perSec)
	row("ingest, CPU seconds", r.Kho.Ingest.CPU.Seconds(), r.FTS5.Ingest.CPU.Seconds(), func(v float64) string { return fmt.Sprintf("%.0f s", v) })
	row("ingest, articles per CPU-second", perCPU(r.Articles, r.Kho.Ingest), perCPU(r.Articles, r.FTS5.Ingest), perSec)
	row("ingest, peak RSS", float64(r.Kho.Ingest.PeakRSS), float64(r.FTS5.Ingest.PeakRSS), bytes)
	row("index on disk", float64(r.Kho.IndexBytes), float64(r.FTS5.IndexBytes), bytes)
	row("index on disk ÷ text", float64(r.Kho.IndexBytes)/float64(r.TextBytes), float64(r.FTS5.IndexBytes)/float64(r.TextBytes),
		func(v float64) string { return fmt.Sprintf("%.2f", v) })
	for _, c := range []int{1, 16} {
		for _, p := range []float64{50, 99} {
			row(fmt.Sprintf("search c=%d p%.0f", c, p), float64(r.pct(&r.Kho, c, p, nil)), float64(r.pct(&r.FTS5, c, p, nil)), dur)
		}
		k, f := r.Kho.run(c), r.FTS5.run(c)
		if k != nil && f != nil {
			row(fmt.Sprintf("search c=%d, queries/s", c), k.QPS(), f.QPS(), func(v float64) string { return fmt.Sprintf("%.1f/s", v) })
		}
	}
	row("empty query with facets c=1 p50", float64(r.pct(&r.Kho, 1, 50, r.emptyOnly)), float64(r.pct(&r.FTS5, 1, 50, r.emptyOnly)), dur)
	row("server RSS after the queries", float64(r.Kho.ServeRSS), float64(r.FTS5.ServeRSS), bytes)
	row("server peak RSS", float64(r.Kho.ServePeak), float64(r.FTS5.ServePeak), bytes)
	fmt.Fprintf(w, "\nDecoding and cleaning the input alone (no index): %.0f articles/s, %.0f CPU s.\n",
		float64(r.Articles)/r.Scan.Wall.Seconds(), r.Scan.CPU.Seconds())
	r.writeKinds(w)
	r.writeAgreement(w)
	fmt.Fprintln(w, "\nFloors of issue 7 (set for 1,000,000 articles):")
	for _, f := range floors {
		v, ok := f.ok(r)
		mark := "met"
		if !ok {
			mark = "NOT met"
		}
		fmt.Fprintf(w, "- %s: %s, %s\n", f.what, v, mark)
	}
}

// writeKinds breaks the c=1 latencies down by kind of query.
func (r *Result) writeKinds(w io.Writer) {
	var kinds []string
	for _, q := range r.Queries {
		if !slices.Contains(kinds, q.Kind) {
			kinds = append(kinds, q.Kind)
		}
	}
	fmt.Fprintln(w, "\n| c=1, by kind of query | queries | kho p50 | kho p99 | FTS5 p50 | FTS5 p99 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, kind := range kinds {
		keep := func(qi int) bool { return r.Queries[qi].Kind == kind }
		n := 0
		for qi := range r.Queries {
			if keep(qi) {
				n++
			}
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", kind, n,
			ms(r.pct(&r.Kho, 1, 50, keep)), ms(r.pct(&r.Kho, 1, 99, keep)),
			ms(r.pct(&r.FTS5, 1, 50, keep)), ms(r.pct(&r.FTS5, 1, 99, keep)))
	}
}

// writeAgreement compares the number of matches per query, a check that
// both engines answered the same question.
func (r *Result) writeAgreement(w io.Writer) {
	k, f := r.Kho.run(1), r.FTS5.run(1)
	if k == nil || f == nil {
		return
	}
	totals := func(run *Run) map[int]int {
		m := map[int]int{}
		for _, s := range run.Samples {
			m[s.Query] = s.Total
		}
		return m
	}
	kt, ft := totals(k), totals(f)
	var ratios []float64
	onlyKho, onlyFTS := 0, 0
	for qi := range r.Queries {
		switch a, b := kt[qi], ft[qi]; {
		case a > 0 && b > 0:
			ratios = append(ratios, float64(a)/float64(b))
		case a > 0:
			onlyKho++
		case b > 0:
			onlyFTS++
		}
	}
	slices.Sort(ratios)
	med := 0.0
	if len(ratios) > 0 {
		med = ratios[len(ratios)/2]
	}
	fmt.Fprintf(w, "\nMatches: kho finds %.2f × as many articles as FTS5 (median over %d queries both answer); "+
		"%d queries only kho answers, %d only FTS5.\n", med, len(ratios), onlyKho, onlyFTS)
}

func perCPU(n int, u Usage) float64 {
	if u.CPU <= 0 {
		return 0
	}
	return float64(n) / u.CPU.Seconds()
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func mb(n int64) string {
	if n >= 10<<30 {
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
}

// count writes n with thousands separators: 1,000,000.
func count(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
