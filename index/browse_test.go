package index

import (
	"context"
	"fmt"
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
	topics := []string{"đội tuyển bóng đá", "Hà Nội", "kinh tế", "giáo dục", "tuyển sinh"}
	write := func(version int, ids func(i int) bool) {
		w := ix.NewWriter(WriterOptions{BatchSize: 7})
		for i := range n {
			if !ids(i) {
				continue
			}
			a := article.Article{
				ID:    fmt.Sprintf("x:%d", i),
				Title: fmt.Sprintf("Bài số %d, bản %d", i, version),
				Body: fmt.Sprintf("Nội dung bài viết về %s, %s. Đội bóng đá tuyển thủ. Tin về tuyển thủ.",
					topics[i%len(topics)], topics[(i/5+version)%len(topics)]),
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

// TestBrowseMatchesBleve: a search without query text, or sorted by date,
// answered from the columns and postings gives the page, total and facets
// bleve gives, for every filter, query and order it answers.
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

		"word, newest":             {Query: words("kinh"), Sort: SortNewest, Page: 1, Size: 10},
		"word in titles, oldest":   {Query: words("bản"), Sort: SortOldest, Page: 2, Size: 10},
		"words, newest, filtered":  {Query: words("ha", "noi"), Sources: []string{"a.vn", "b.vn"}, From: from23, Sort: SortNewest, Page: 1, Size: 10},
		"pair, newest":             {Query: uq.Phrase{Words: []string{"giáo", "dục"}}, Sort: SortNewest, Page: 1, Size: 5},
		"phrase of three, newest":  {Query: uq.Phrase{Words: []string{"tuyen", "bong", "da"}}, Sort: SortNewest, Page: 1, Size: 10},
		"phrase read in the text":  {Query: uq.Phrase{Words: []string{"về", "tuyển", "sinh"}}, Sort: SortNewest, Page: 1, Size: 10},
		"word of three, oldest":    {Query: uq.Word{Text: "đội-tuyển-bóng"}, Sort: SortOldest, Page: 1, Size: 10},
		"or, newest":               {Query: uq.Or{Nodes: []uq.Node{words("kinh"), uq.Phrase{Words: []string{"ha", "noi"}}}}, Sort: SortNewest, Page: 1, Size: 10},
		"and not, newest":          {Query: uq.And{Nodes: []uq.Node{uq.Word{Text: "tuyển"}, uq.Not{Node: uq.Word{Text: "sinh"}}}}, Sort: SortNewest, Page: 1, Size: 10},
		"not alone, oldest":        {Query: uq.Not{Node: uq.Word{Text: "kinh"}}, Sort: SortOldest, Page: 1, Size: 10},
		"nested, newest":           {Query: uq.And{Nodes: []uq.Node{uq.Or{Nodes: []uq.Node{words("giao"), words("kinh")}}, uq.And{Nodes: []uq.Node{words("noi"), uq.Not{Node: words("te")}}}}}, Sort: SortNewest, Page: 1, Size: 10},
		"punctuation only, newest": {Query: uq.And{Nodes: []uq.Node{uq.Word{Text: "!!"}, words("kinh")}}, Sort: SortNewest, Page: 1, Size: 10},
		"no such word, newest":     {Query: words("khongco"), Sort: SortNewest, Page: 1, Size: 10},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			c := compileQuery(req.Query, false)
			order := dateOrderOf(req.Sort, len(c.must) > 0)
			f, ok := browseFilter(c, req, order)
			if !ok {
				t.Fatal("not answered by browse")
			}
			from := (req.Page - 1) * req.Size
			got, gotCounts, err := ix.browse(ctx, f, order, from, req.Size)
			if err != nil {
				t.Fatal(err)
			}
			want, wantCounts, _, err := ix.searchBleve(ctx, c, req, order, from, req.Size)
			if err != nil {
				t.Fatal(err)
			}
			compareResults(t, got, want, gotCounts, wantCounts, false)
			empty := name == "unknown category" || name == "past the end" || name == "no such word, newest"
			narrows := req.Query != nil && name != "word in titles, oldest" // a query that leaves some articles out
			if empty != (len(want.Hits) == 0) || narrows && !empty && want.Total == ix.mustCount(t) {
				t.Errorf("bleve found %d articles: the case tests nothing", len(want.Hits))
			}
		})
	}
}

// TestBrowseAnswers: searches ranked by relevance, or with a filter the
// columns do not hold, go through bleve.
func TestBrowseAnswers(t *testing.T) {
	for name, want := range map[string]struct {
		req SearchRequest
		ok  bool
	}{
		"nothing":            {SearchRequest{}, true},
		"text by relevance":  {SearchRequest{Query: words("bài")}, false},
		"text by date":       {SearchRequest{Query: words("bài"), Sort: SortOldest}, true},
		"excluded, no score": {SearchRequest{Query: uq.Not{Node: words("bài")}}, true},
		"author":             {SearchRequest{Authors: []string{"An"}}, false},
		"tag, by date":       {SearchRequest{Query: words("bài"), Sort: SortNewest, Tags: []string{"bóng đá"}}, false},
	} {
		c := compileQuery(want.req.Query, false)
		if _, ok := browseFilter(c, want.req, dateOrderOf(want.req.Sort, len(c.must) > 0)); ok != want.ok {
			t.Errorf("%s: answered by browse %v, want %v", name, ok, want.ok)
		}
	}
}

// mustCount is the number of articles in the index.
func (ix *Index) mustCount(t *testing.T) uint64 {
	t.Helper()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}
