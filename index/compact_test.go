package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

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
