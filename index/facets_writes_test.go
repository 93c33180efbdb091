package index

import (
	"context"
	"testing"
	"time"

	"kho/internal/article"
)

// TestArchiveFacetsFollowWrites: the whole archive's facets are the same
// when counted again, and a write is seen by the next search.
func TestArchiveFacetsFollowWrites(t *testing.T) {
	ix := newTestIndex(t)
	ctx := context.Background()
	list := func() *SearchResult {
		t.Helper()
		r, err := ix.Search(ctx, SearchRequest{Page: 1, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := list()
	if _, ok := ix.epoch(); !ok {
		t.Fatal("the index does not tell its epoch: related stories' document frequencies would be cached by count alone")
	}
	if got, want := bucketsString(list().Facets.Sources), bucketsString(first.Facets.Sources); got != want {
		t.Errorf("sources counted again %q, first %q", got, want)
	}

	a := article.Article{ID: "d:6", Title: "Bài mới", Body: "Một bài viết mới.", Source: "d.vn",
		Category: "Thời sự", Published: time.Date(2025, 1, 2, 9, 0, 0, 0, hanoi), PublishedFrom: article.FromMetadata}
	w := ix.NewWriter(WriterOptions{})
	if err := w.Add(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	after := list()
	if got, want := bucketsString(after.Facets.Sources), "a.vn:2 b.vn:2 c.vn:1 d.vn:1 "; got != want {
		t.Errorf("sources after a write: got %q, want %q", got, want)
	}
	if got, want := bucketsString(after.Facets.Years), "2020:1 2021:0 2022:1 2023:0 2024:2 2025:1 "; got != want {
		t.Errorf("years after a write: got %q, want %q", got, want)
	}
	// A filtered listing counts only its own articles.
	r, err := ix.Search(ctx, SearchRequest{Sources: []string{"d.vn"}, Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := bucketsString(r.Facets.Sources), "d.vn:1 "; got != want {
		t.Errorf("filtered sources: got %q, want %q", got, want)
	}
}
