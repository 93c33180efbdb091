package index

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"kho/internal/article"
	uq "kho/internal/query"
)

// browseArchive is an index of n articles written in small batches, so
// it has several segments, then partly rewritten, so older segments hold
// deleted articles: what browse must skip. Some articles share a date,
// some have none.
func browseArchive(t *testing.T, n int) *Index {
	t.Helper()
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	sources := []string{"a.vn", "b.vn", "c.vn"}
	categories := []string{"Thời sự", "Thể thao", "Kinh doanh", ""}
	write := func(version int, ids func(i int) bool) {
		w := ix.NewWriter(WriterOptions{BatchSize: 7})
		for i := range n {
			if !ids(i) {
				continue
			}
			a := article.Article{
				ID:       fmt.Sprintf("x:%d", i),
				Title:    fmt.Sprintf("Bài số %d, bản %d", i, version),
				Body:     "Nội dung bài viết.",
				Source:   sources[(i+version)%len(sources)],
				Category: categories[i%len(categories)],
			}
			if i%9 != 0 { // every ninth undated
				// Pairs of articles share a date; they span three years.
				day := time.Date(2022, 1, 1, 8, 0, 0, 0, hanoi).AddDate(0, 0, (i/2)*17)
				a.Published, a.PublishedFrom = day, article.FromMetadata
			}
			if err := w.Add(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	write(0, func(int) bool { return true })
	write(1, func(i int) bool { return i%4 == 1 }) // changes the source: an update, not a skip
	return ix
}

// TestBrowseMatchesBleve: a search without query text answered from the
// columns gives the page, total and facets bleve gives, for every filter and
// order it answers.
func TestBrowseMatchesBleve(t *testing.T) {
	ix := browseArchive(t, 80)
	ctx := context.Background()
	year := func(y int) (time.Time, time.Time) {
		return time.Date(y, 1, 1, 0, 0, 0, 0, hanoi), time.Date(y+1, 1, 1, 0, 0, 0, -1, hanoi)
	}
	from23, to23 := year(2023)
	cases := map[string]SearchRequest{
		"all, newest":             {Page: 1, Size: 10},
		"all, oldest":             {Sort: SortOldest, Page: 1, Size: 10},
		"all, third page":         {Page: 3, Size: 10},
		"past the end":            {Page: 9, Size: 10},
		"source":                  {Sources: []string{"b.vn"}, Page: 1, Size: 10},
		"sources and category":    {Sources: []string{"a.vn", "c.vn"}, Categories: []string{"Thể thao"}, Page: 1, Size: 5},
		"category in NFD":         {Categories: []string{"Thê\u0309 thao"}, Page: 1, Size: 5},
		"unknown category":        {Categories: []string{"Không có"}, Page: 1, Size: 5},
		"year":                    {From: from23, To: to23, Page: 1, Size: 10},
		"from only, oldest":       {From: from23, Sort: SortOldest, Page: 1, Size: 10},
		"to only, second page":    {To: to23, Page: 2, Size: 10},
		"year, source, category":  {From: from23, To: to23, Sources: []string{"a.vn"}, Categories: []string{"Thời sự"}, Page: 1, Size: 10},
		"a day's bound inclusive": {From: time.Date(2022, 1, 18, 8, 0, 0, 0, hanoi), To: time.Date(2022, 2, 4, 8, 0, 0, 0, hanoi), Page: 1, Size: 10},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			c := compileQuery(req.Query, false)
			f, ok := browseFilter(c, req)
			if !ok {
				t.Fatal("not answered by browse")
			}
			from := (req.Page - 1) * req.Size
			order := dateOrderOf(req.Sort, false)
			got, gotCounts, err := ix.browse(ctx, f, order, from, req.Size)
			if err != nil {
				t.Fatal(err)
			}
			want, wantCounts, _, err := ix.searchBleve(ctx, c, req, order, from, req.Size)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != want.Total {
				t.Errorf("total %d, bleve %d", got.Total, want.Total)
			}
			if !reflect.DeepEqual(gotCounts, wantCounts) {
				t.Errorf("facet counts\n %v\nbleve\n %v", gotCounts, wantCounts)
			}
			if len(got.Hits) != len(want.Hits) {
				t.Fatalf("%d hits, bleve %d", len(got.Hits), len(want.Hits))
			}
			for i := range got.Hits {
				g, w := got.Hits[i], want.Hits[i]
				if g.ID != w.ID || g.Score != w.Score || !reflect.DeepEqual(g.Fields, w.Fields) {
					t.Errorf("hit %d: %s %v %v\nbleve: %s %v %v", i, g.ID, g.Score, g.Fields, w.ID, w.Score, w.Fields)
				}
			}
			if empty := name == "unknown category" || name == "past the end"; empty != (len(want.Hits) == 0) {
				t.Errorf("bleve found %d articles: the case tests nothing", len(want.Hits))
			}
		})
	}
}

// TestBrowseAnswersWithoutText: searches with text, or with a filter the
// columns do not hold, go through bleve.
func TestBrowseAnswersWithoutText(t *testing.T) {
	for name, req := range map[string]SearchRequest{
		"text":     {Query: words("bài")},
		"excluded": {Query: uq.Not{Node: words("bài")}},
		"author":   {Authors: []string{"An"}},
		"tag":      {Tags: []string{"bóng đá"}},
	} {
		if _, ok := browseFilter(compileQuery(req.Query, false), req); ok {
			t.Errorf("%s: answered by browse", name)
		}
	}
}
