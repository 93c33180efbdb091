package index

import (
	"context"
	"testing"
	"time"
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
