package index

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	zap "github.com/blevesearch/zapx/v17"

	"kho/index/zapbuild"
	"kho/internal/article"
	uq "kho/internal/query"
)

// Compacting leaves one segment that answers as the many did.
func TestCompactMergesIntoOneSegment(t *testing.T) {
	ix, w := bulkIndex(t, 3)
	ctx := context.Background()
	for i := range 40 {
		a := &article.Article{ID: fmt.Sprintf("t:%d", i), Title: fmt.Sprintf("Tin số %d về mưa lũ", i),
			Body: "Mưa lớn ở Hà Nội.", Source: []string{"a.vn", "b.vn"}[i%2],
			Published: time.Date(2020+i%5, 3, 1, 8, 0, 0, 0, hanoi), PublishedFrom: article.FromMetadata}
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if !ix.WorthCompacting(40) || ix.WorthCompacting(9) || ix.WorthCompacting(0) {
		t.Errorf("worth compacting after writing 40, 9, 0 of 40 articles: %v %v %v, want true false false",
			ix.WorthCompacting(40), ix.WorthCompacting(9), ix.WorthCompacting(0))
	}
	search := func() string {
		r, err := ix.Search(ctx, SearchRequest{Query: uq.Word{Text: "mua"}, Page: 1, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(r.Total, r.Facets.Years, r.Facets.Sources)
	}
	before := search()
	if n := segments(t, ix); n < 2 {
		t.Fatalf("%d segments before compacting; the test needs several", n)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(t, ix); n != 1 {
		t.Errorf("%d segments after compacting, want 1", n)
	}
	if after := search(); after != before {
		t.Errorf("after compacting: %s, before: %s", after, before)
	}
}

// bulkIndex is a new index on disk opened for bulk loads, as kho ingest
// opens it, closed when the test ends, and a writer of batches of size.
func bulkIndex(t *testing.T, size int) (*Index, *Writer) {
	t.Helper()
	ix, err := Create(filepath.Join(t.TempDir(), "ix"), Options{TimeZone: hanoi, Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, ix.NewWriter(WriterOptions{BatchSize: size})
}

func segments(t *testing.T, ix *Index) int {
	t.Helper()
	adv, err := ix.bleve.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return len(r.(*scorch.IndexSnapshot).Segments())
}

// planSegment is a segment as bleve's merge planner sees it.
type planSegment struct {
	id   uint64
	docs int64
}

func (s *planSegment) Id() uint64          { return s.id }
func (s *planSegment) FullSize() int64     { return s.docs }
func (s *planSegment) LiveSize() int64     { return s.docs }
func (s *planSegment) FileSize() int64     { return s.docs * 6000 }
func (s *planSegment) LiveFileSize() int64 { return s.docs * 6000 }
func (s *planSegment) HasVector() bool     { return false }

// rewrites plays a bulk load of batches of batch articles through bleve's
// merge planner, each merge done at once, and returns how many articles the
// merges wrote again, per article loaded.
func rewrites(t *testing.T, plan mergeplan.MergePlanOptions, batches int, batch int64) float64 {
	t.Helper()
	var segs []mergeplan.Segment
	var id uint64
	var rewritten int64
	for range batches {
		id++
		segs = append(segs, &planSegment{id, batch})
		p, err := mergeplan.Plan(segs, &plan)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			continue
		}
		for _, task := range p.Tasks {
			merged := map[uint64]bool{}
			var docs int64
			for _, s := range task.Segments {
				merged[s.Id()] = true
				docs += s.LiveSize()
			}
			segs = slices.DeleteFunc(segs, func(s mergeplan.Segment) bool { return merged[s.Id()] })
			id++
			segs = append(segs, &planSegment{id, docs})
			rewritten += docs
		}
	}
	return float64(rewritten) / float64(int64(batches)*batch)
}

// A bulk load's merge plan rewrites each article fewer times than bleve's
// default before the final Compact: into a new index, about once from a
// hundred thousand articles to three million; into one that has articles,
// where bleve's plan rewrites a million 2.8 times, 1.6 times.
func TestBulkMergePlanRewritesLess(t *testing.T) {
	plan := func(fresh bool) mergeplan.MergePlanOptions {
		b, _ := json.Marshal(bulkMergePlan(fresh)) // as bleve reads it
		p := mergeplan.DefaultMergePlanOptions
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if err := mergeplan.ValidateMergePlannerOptions(&p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	def := rewrites(t, mergeplan.DefaultMergePlanOptions, 1000, DefaultBatchSize)
	t.Logf("a million articles: rewritten %.2f times by bleve's plan", def)
	if def < 2 {
		t.Errorf("bleve's plan rewrites a million articles %.2f times; the comparison is stale", def)
	}
	for _, batches := range []int{100, 300, 1000, 3000} {
		got := rewrites(t, plan(true), batches, DefaultBatchSize)
		t.Logf("%d articles into a new index: rewritten %.2f times", batches*DefaultBatchSize, got)
		if got > 1.05 {
			t.Errorf("%d articles into a new index: rewritten %.2f times", batches*DefaultBatchSize, got)
		}
	}
	if got := rewrites(t, plan(false), 1000, DefaultBatchSize); got > 0.6*def {
		t.Errorf("a million articles into an index that has some: rewritten %.2f times, by bleve's plan %.2f", got, def)
	}
}

// The segments scorch opens from disk are zapbuild's, whose DocNumbers
// filters a batch's keys (zapbuild.Segment): a key written again in a
// later batch must still be found there and replaced, not kept twice.
func TestSegmentsOnDiskFindRewrittenKeys(t *testing.T) {
	ix, w := bulkIndex(t, 4)
	ctx := context.Background()
	write := func(i int, body string) {
		t.Helper()
		a := &article.Article{ID: fmt.Sprintf("t:%d", i), Title: fmt.Sprintf("Tin số %d", i), Body: body,
			Source: "a.vn", Published: time.Date(2020, 3, 1, 8, 0, 0, 0, hanoi), PublishedFrom: article.FromMetadata}
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		write(i, "Mưa lớn ở Hà Nội.")
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	adv, err := ix.bleve.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	onDisk := 0
	for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
		switch ss.Segment().(type) {
		case *zapbuild.Segment:
			onDisk++
		case *zap.Segment:
			t.Errorf("scorch opened a segment as zap's, not zapbuild's")
		}
	}
	r.Close()
	if onDisk == 0 {
		t.Fatal("no segment on disk; the test needs some")
	}
	for i := 0; i < 40; i += 3 {
		write(i, "Nắng nóng ở Huế.")
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); n != 40 || err != nil {
		t.Errorf("%d articles after rewriting 14, %v; want 40", n, err)
	}
	for word, want := range map[string]uint64{"mua": 26, "nang": 14} {
		res, err := ix.Search(ctx, SearchRequest{Query: uq.Word{Text: word}, Page: 1, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("%q: %d articles, want %d", word, res.Total, want)
		}
	}
}

// A bulk load merges as a new index's when the index has no segment yet,
// and as a large index's once it has some (bulkMergePlan).
func TestHasSegments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	ix, err := Create(path, Options{TimeZone: hanoi, Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	if hasSegments(path) {
		t.Error("a new index has segments")
	}
	w := ix.NewWriter(WriterOptions{BatchSize: 2})
	for i := range 5 {
		if err := w.Add(context.Background(), testArticle(fmt.Sprint(i), "Mưa lớn", time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if !hasSegments(path) {
		t.Error("an index of five articles has no segment")
	}
}
