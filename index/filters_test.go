package index

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"kho/internal/article"
)

// TestFiltersKeepTheRanking: a filter leaves out articles and changes
// nothing else: the articles it keeps have the scores, and so the order,
// they have without it.
func TestFiltersKeepTheRanking(t *testing.T) {
	ix := browseArchive(t, 80)
	ctx := context.Background()
	search := func(req SearchRequest) *SearchResult {
		t.Helper()
		req.Query, req.Page, req.Size = words("tuyen", "sinh"), 1, 80
		r, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	all := search(SearchRequest{})
	score := map[string]float64{}
	for _, h := range all.Hits {
		score[h.ID] = h.Score
	}
	for name, req := range map[string]SearchRequest{
		"dates":   {From: time.Date(2023, 1, 1, 0, 0, 0, 0, hanoi), To: time.Date(2024, 1, 1, 0, 0, 0, -1, hanoi)},
		"from":    {From: time.Date(2022, 6, 1, 0, 0, 0, 0, hanoi)},
		"source":  {Sources: []string{"a.vn"}},
		"section": {Categories: []string{"Thể thao", "Kinh doanh"}},
	} {
		some := search(req)
		if len(some.Hits) == 0 || len(some.Hits) == len(all.Hits) {
			t.Errorf("%s: %d of %d articles kept: the filter tests nothing", name, len(some.Hits), len(all.Hits))
		}
		for _, h := range some.Hits {
			if h.Score != score[h.ID] {
				t.Errorf("%s: %s scores %v, %v without the filter", name, h.ID, h.Score, score[h.ID])
			}
		}
	}
}

// TestDateBoundsOnEveryPath: a date filter keeps exactly the articles dated
// within its bounds, both included, and no undated one, whichever way the
// search is answered: from the columns (no text, or by date), ranked
// (text by relevance) or through bleve (an author filter), and in the
// window of related stories.
func TestDateBoundsOnEveryPath(t *testing.T) {
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	start := time.Date(2023, 3, 1, 0, 0, 0, 0, hanoi)
	var arts []article.Article
	w := ix.NewWriter(WriterOptions{BatchSize: 5})
	for i := range 40 {
		a := article.Article{
			ID: fmt.Sprintf("d:%d", i), Source: "d.vn", Author: []string{"Lan", "Minh"}[i%2],
			Title: fmt.Sprintf("Mưa lũ miền Trung, tin số %d", i),
			Body: fmt.Sprintf("Mưa lớn kéo dài gây lũ ở %s. %s", []string{"Quảng Nam", "Huế", "Quảng Ngãi", "Hà Tĩnh", "Nghệ An"}[i%5],
				[]string{"Người dân di dời khỏi vùng ngập.", "Nhiều tuyến đường bị chia cắt.", "Lực lượng cứu hộ đã có mặt.",
					"Trường học cho học sinh nghỉ.", "Nước sông dâng cao."}[i/5%5]),
		}
		if i%7 != 3 { // some undated
			// A day apart, and some a second before or after midnight.
			a.Published = start.AddDate(0, 0, i).Add(time.Duration(i%3-1) * time.Second)
			a.PublishedFrom = article.FromMetadata
		}
		arts = append(arts, a)
		if err := w.Add(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// d:10 is dated at from exactly, d:20 at to.
	from, to := start.AddDate(0, 0, 10), start.AddDate(0, 0, 20).Add(time.Second)
	within := func(a article.Article) bool {
		return !a.Published.IsZero() && !a.Published.Before(from) && !a.Published.After(to)
	}
	expect := func(keep func(article.Article) bool) []string {
		var out []string
		for _, a := range arts {
			if within(a) && keep(a) {
				out = append(out, a.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	all := func(article.Article) bool { return true }
	for name, c := range map[string]struct {
		req  SearchRequest
		keep func(article.Article) bool
	}{
		"columns, no text":   {SearchRequest{}, all},
		"columns, by date":   {SearchRequest{Query: words("mua", "lu"), Sort: SortOldest}, all},
		"ranked":             {SearchRequest{Query: words("mua", "lu")}, all},
		"bleve, with author": {SearchRequest{Query: words("mưa"), Authors: []string{"Lan"}}, func(a article.Article) bool { return a.Author == "Lan" }},
		"bleve, only author": {SearchRequest{Authors: []string{"Minh"}}, func(a article.Article) bool { return a.Author == "Minh" }},
	} {
		req := c.req
		req.From, req.To, req.Page, req.Size = from, to, 1, 50
		res, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got := hitIDs(res.Hits)
		slices.Sort(got)
		want := expect(c.keep)
		if !slices.Equal(got, want) || res.Total != uint64(len(want)) {
			t.Errorf("%s: %d found %v, want %v", name, res.Total, got, want)
		}
		if len(want) < 4 {
			t.Errorf("%s: only %d articles expected: the case tests little", name, len(want))
		}
		// The bounds only filter: an article keeps its score.
		req.From, req.To = time.Time{}, time.Time{}
		unbounded, err := ix.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		score := map[string]float64{}
		for _, h := range unbounded.Hits {
			score[h.ID] = h.Score
		}
		for _, h := range res.Hits {
			if s, ok := score[h.ID]; !ok || s != h.Score {
				t.Errorf("%s: %s scores %v within the dates, %v without", name, h.ID, h.Score, s)
			}
		}
	}
	// Related stories within 3 days of d:15, dated start + 15 days; without
	// the window, older and newer ones are related too.
	story := arts[15]
	for _, days := range []int{3, 0} {
		hits, err := ix.Related(ctx, RelatedRequest{ID: story.ID, Size: 40, WindowDays: days})
		if err != nil {
			t.Fatal(err)
		}
		outside := 0
		for _, h := range hits {
			d := h.Published.Sub(story.Published)
			if h.Published.IsZero() || d < -3*24*time.Hour || d > 3*24*time.Hour {
				outside++
			}
		}
		if days > 0 && (outside > 0 || len(hits) < 3) || days == 0 && outside == 0 {
			t.Errorf("related, window of %d days: %d hits, %d outside 3 days", days, len(hits), outside)
		}
	}
}
