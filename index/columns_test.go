package index

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"kho/internal/article"
	uq "kho/internal/query"
)

// Columns are kept per segment: after more batches (new segments), an
// update and a deletion, the facet counts must still be those of the
// articles the search matches, and agree with the total, and the articles
// sorted by date must come in the order of their dates, undated last.
func TestColumnsFollowTheSegments(t *testing.T) {
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	live := map[string]article.Article{}
	write := func(arts ...article.Article) {
		t.Helper()
		w := ix.NewWriter(WriterOptions{BatchSize: 2})
		for i := range arts {
			a := arts[i]
			if err := w.Add(ctx, &a); err != nil {
				t.Fatal(err)
			}
			live[a.ID] = a
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	art := func(n int, source string, year int) article.Article {
		return article.Article{ID: fmt.Sprintf("%s:%d", source, n), Title: fmt.Sprintf("Tin số %d về mưa", n),
			Body: "Mưa lớn ở Hà Nội.", Source: source, Category: "Thời sự",
			Published: time.Date(year, 3, n, 8, 0, 0, 0, hanoi), PublishedFrom: article.FromMetadata}
	}
	check := func(when string) {
		t.Helper()
		for _, q := range []uq.Node{nil, uq.Word{Text: "mua"}} {
			for order, name := range map[Sort]string{SortNewest: "newest", SortOldest: "oldest"} {
				r, err := ix.Search(ctx, SearchRequest{Query: q, Sort: order, Page: 1, Size: 10})
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, a := range live {
					want = append(want, a.ID)
				}
				sort.Slice(want, func(i, j int) bool {
					a, b := live[want[i]].Published, live[want[j]].Published
					if a.IsZero() || b.IsZero() {
						return b.IsZero() && !a.IsZero()
					}
					if order == SortOldest {
						return a.Before(b)
					}
					return a.After(b)
				})
				var got []string
				for _, h := range r.Hits {
					got = append(got, h.ID)
					if h.Score != 0 {
						t.Errorf("%s, query %v, %s: %s scores %v; sorted by date, hits carry no score", when, q, name, h.ID, h.Score)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s, query %v, %s: got %v, want %v", when, q, name, got, want)
				}
			}
			r, err := ix.Search(ctx, SearchRequest{Query: q, Page: 1, Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, a := range live {
				want[a.Source]++
			}
			got, sum := map[string]int{}, 0
			for _, b := range r.Facets.Sources {
				got[b.Key] = b.Count
				sum += b.Count
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || sum != int(r.Total) {
				t.Errorf("%s, query %v: sources %v (total %d), want %v", when, q, got, r.Total, want)
			}
		}
	}
	write(art(1, "a.vn", 2020), art(2, "a.vn", 2021), art(3, "b.vn", 2022))
	check("first batches")
	undated := art(6, "c.vn", 2024)
	undated.Published, undated.PublishedFrom = time.Time{}, article.FromUnknown
	write(art(4, "c.vn", 2023), undated, art(5, "c.vn", 2024))
	check("more segments")
	moved := art(1, "a.vn", 2020)
	moved.Source = "d.vn"
	moved.Title += " (sửa)"
	write(moved)
	check("an article updated")
	if err := ix.Delete(ctx, "c.vn:4"); err != nil {
		t.Fatal(err)
	}
	delete(live, "c.vn:4")
	check("an article deleted")
}
