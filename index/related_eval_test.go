package index

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	uq "kho/internal/query"
	"kho/internal/vntext"
)

// The related-stories evaluation: every article of a hand-made same-story
// cluster (vmds, vims) asks for its related stories in the full corpus index,
// where the other five files are distractors. Relevant = the other members
// of its cluster.

// Floors of issue 5.
const (
	minPrecisionAt5 = 0.85
	minRecallAt10   = 0.85
)

// evalQuery is one clustered article and the other members of its cluster.
type evalQuery struct {
	doc      corpusDoc
	relevant map[string]bool
}

// clusterQueries lists every clustered article of the corpus.
func clusterQueries(docs []corpusDoc) map[string][]evalQuery {
	members := map[string][]string{}
	for _, d := range docs {
		if d.ClusterID != "" {
			k := d.File + "/" + d.ClusterID
			members[k] = append(members[k], d.Article.ID)
		}
	}
	out := map[string][]evalQuery{}
	for _, d := range docs {
		if d.ClusterID == "" {
			continue
		}
		rel := map[string]bool{}
		for _, id := range members[d.File+"/"+d.ClusterID] {
			if id != d.Article.ID {
				rel[id] = true
			}
		}
		if len(rel) > 0 {
			out[d.File] = append(out[d.File], evalQuery{d, rel})
		}
	}
	return out
}

// ranked is one result: its key and the keys of the copies folded into it.
type ranked struct{ ids []string }

// scores measures one result list: precision@5 as issue 5 defines it
// (relevant among the first five over min(5, relevant)) and recall@10. A hit
// counts as relevant when it or a copy folded into it is; the copies count
// for recall, since the editor sees them in also_in.
func scores(got []ranked, relevant map[string]bool) (p5, r10 float64) {
	hit5 := 0
	found := map[string]bool{}
	for i, r := range got {
		if i >= 10 {
			break
		}
		any := false
		for _, id := range r.ids {
			if relevant[id] {
				any = true
				found[id] = true
			}
		}
		if any && i < 5 {
			hit5++
		}
	}
	return float64(hit5) / float64(min(5, len(relevant))), float64(len(found)) / float64(len(relevant))
}

// evalResult sums one method over one file.
type evalResult struct {
	n        int
	p5, r10  float64
	strict   [2]float64      // p@5 and r@10 counting only the hits themselves, not the copies folded into them
	took     []time.Duration // wall time
	cpu      []time.Duration // process CPU time: what the query would take on an idle core
	failures int             // queries whose p@5 < 1, for a look by hand
	copies   int             // articles folded into another hit as copies
}

func (r *evalResult) add(p5, r10 float64, took, cpu time.Duration) {
	r.n++
	r.p5 += p5
	r.r10 += r10
	r.took = append(r.took, took)
	r.cpu = append(r.cpu, cpu)
	if p5 < 1 {
		r.failures++
	}
}

func (r evalResult) P5() float64  { return r.p5 / float64(r.n) }
func (r evalResult) R10() float64 { return r.r10 / float64(r.n) }

func percentile(ds []time.Duration, p float64) time.Duration {
	ts := slices.Clone(ds)
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return ts[min(len(ts)-1, int(p*float64(len(ts))))]
}

func (r evalResult) String() string {
	return fmt.Sprintf("n=%d p@5=%.3f r@10=%.3f (without copies %.3f %.3f) copies=%d wall p50=%.1fms p99=%.1fms cpu p50=%.1fms p99=%.1fms",
		r.n, r.P5(), r.R10(), r.strict[0]/float64(r.n), r.strict[1]/float64(r.n), r.copies,
		ms(percentile(r.took, 0.5)), ms(percentile(r.took, 0.99)),
		ms(percentile(r.cpu, 0.5)), ms(percentile(r.cpu, 0.99)))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// method answers one evaluation query with up to 10 ranked results.
type method func(ctx context.Context, ix *Index, q evalQuery) ([]ranked, error)

func byArticle(t relatedTuning) method {
	return func(ctx context.Context, ix *Index, q evalQuery) ([]ranked, error) {
		hs, err := ix.related(ctx, RelatedRequest{ID: q.doc.Article.ID, Size: 10}, t, "")
		return rankedOf(hs), err
	}
}

// byDraft asks with the article's title and body as a draft, leaving the
// article itself out as if it were not indexed yet.
func byDraft(t relatedTuning) method {
	return func(ctx context.Context, ix *Index, q evalQuery) ([]ranked, error) {
		a := q.doc.Article
		hs, err := ix.related(ctx, RelatedRequest{Title: a.Title, Text: a.Body, Size: 10}, t, a.ID)
		return rankedOf(hs), err
	}
}

func rankedOf(hs []relatedHit) []ranked {
	out := make([]ranked, len(hs))
	for i, h := range hs {
		out[i] = ranked{append([]string{h.ID}, h.copies...)}
	}
	return out
}

// titleWordsOR is the baseline of issue 5: a search for any syllable of the
// title, the article itself left out.
func titleWordsOR(ctx context.Context, ix *Index, q evalQuery) ([]ranked, error) {
	var or uq.Or
	for _, s := range vntext.Syllables(q.doc.Article.Title) {
		or.Nodes = append(or.Nodes, uq.Word{Text: s.Text})
	}
	// Search's own query and ranking (by score, bleve's default), without the facets the list doesn't need.
	sr := bleve.NewSearchRequestOptions(buildQuery(compileQuery(or, false), SearchRequest{}), 11, 0, false)
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, err
	}
	var out []ranked
	for _, h := range res.Hits {
		if h.ID != q.doc.Article.ID && len(out) < 10 {
			out = append(out, ranked{[]string{h.ID}})
		}
	}
	return out, nil
}

func evaluate(tb testing.TB, ix *Index, qs []evalQuery, m method) evalResult {
	tb.Helper()
	ctx := context.Background()
	var r evalResult
	for _, q := range qs {
		start, cpu0 := time.Now(), processCPU()
		got, err := m(ctx, ix, q)
		took, cpu := time.Since(start), processCPU()-cpu0
		if err != nil {
			tb.Fatalf("%s: %v", q.doc.Article.ID, err)
		}
		p5, r10 := scores(got, q.relevant)
		r.add(p5, r10, took, cpu)
		alone := make([]ranked, len(got))
		for i, g := range got {
			r.copies += len(g.ids) - 1
			alone[i] = ranked{g.ids[:1]}
		}
		p5, r10 = scores(alone, q.relevant)
		r.strict[0] += p5
		r.strict[1] += r10
	}
	return r
}

// TestRelatedClusters holds Related to the floors of issue 5 on the corpus
// clusters, for articles and for drafts, and above the title-words baseline.
func TestRelatedClusters(t *testing.T) {
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	queries := clusterQueries(docs)
	for _, file := range []string{"vmds.jsonl.gz", "vims.jsonl.gz"} {
		qs := queries[file]
		if len(qs) == 0 {
			t.Fatalf("%s: no clustered articles", file)
		}
		// The baseline is a full Search, four times slower than Related:
		// every third article measures it closely enough.
		base := evaluate(t, ix, every(qs, 3), titleWordsOR)
		t.Logf("%s baseline (title words OR, every third article): %s", file, base)
		for _, m := range []struct {
			name string
			m    method
		}{{"article", byArticle(defaultTuning)}, {"draft", byDraft(defaultTuning)}} {
			got := evaluate(t, ix, qs, m.m)
			t.Logf("%s %s: %s", file, m.name, got)
			if got.P5() < minPrecisionAt5 || got.R10() < minRecallAt10 {
				t.Errorf("%s %s: precision@5 %.3f, recall@10 %.3f; floors %.2f, %.2f",
					file, m.name, got.P5(), got.R10(), minPrecisionAt5, minRecallAt10)
			}
			if got.P5() <= base.P5() || got.R10() <= base.R10() {
				t.Errorf("%s %s: precision@5 %.3f, recall@10 %.3f; not above the baseline's %.3f, %.3f",
					file, m.name, got.P5(), got.R10(), base.P5(), base.R10())
			}
		}
	}
}

// every keeps every nth query.
func every(qs []evalQuery, n int) []evalQuery {
	var out []evalQuery
	for i := 0; i < len(qs); i += n {
		out = append(out, qs[i])
	}
	return out
}

// processCPU is the CPU time the test process has used. On a machine shared
// with other work, a query's CPU time says more about its cost than its wall
// time, which includes waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestRelatedCopiesCorpus: the vims clusters hold three pairs of articles
// with identical bodies. Asked from another member of the cluster, each pair
// is one hit with the other folded into it; asked from one of the pair, the
// other comes first.
func TestRelatedCopiesCorpus(t *testing.T) {
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	byBody := map[string][]corpusDoc{}
	for _, d := range docs {
		if d.File == "vims.jsonl.gz" && len(d.Article.Body) > 200 {
			byBody[d.Article.Body] = append(byBody[d.Article.Body], d)
		}
	}
	ctx := context.Background()
	pairs := 0
	for _, ds := range byBody {
		if len(ds) != 2 || ds[0].ClusterID != ds[1].ClusterID {
			continue
		}
		pairs++
		a, b := ds[0].Article.ID, ds[1].Article.ID
		got, err := ix.related(ctx, RelatedRequest{ID: a, Size: 10}, defaultTuning, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || got[0].ID != b {
			t.Errorf("related to %s: got %v first, want its copy %s", a, firstID(got), b)
		}
		for _, q := range clusterQueries(docs)["vims.jsonl.gz"] {
			if q.doc.ClusterID != ds[0].ClusterID || q.doc.Article.ID == a || q.doc.Article.ID == b {
				continue
			}
			got, err := ix.related(ctx, RelatedRequest{ID: q.doc.Article.ID, Size: 10}, defaultTuning, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range got {
				ids := append([]string{h.ID}, h.copies...)
				if slices.Contains(ids, a) != slices.Contains(ids, b) && (h.ID == a || h.ID == b) {
					t.Errorf("related to %s: %s listed without its copy folded in (copies %v)", q.doc.Article.ID, h.ID, h.copies)
				}
			}
			break
		}
	}
	// The corpus README counts 3 in the raw records; ingest's cleaning
	// (boilerplate, whitespace) may make a few more bodies identical.
	if pairs < 3 {
		t.Errorf("found %d pairs of identical vims bodies in one cluster, the corpus README says 3", pairs)
	}
}

func firstID(hs []relatedHit) string {
	if len(hs) == 0 {
		return "nothing"
	}
	return hs[0].ID
}
