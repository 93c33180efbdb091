package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func bucketsString(bs []Bucket) string {
	s := ""
	for _, b := range bs {
		s += fmt.Sprintf("%s:%d ", b.Key, b.Count)
	}
	return s
}

func TestFacets(t *testing.T) {
	ix := newTestIndex(t)
	ctx := context.Background()

	all, err := ix.Search(ctx, SearchRequest{Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != uint64(len(testArticles)) {
		t.Fatalf("empty query: total %d, want %d", all.Total, len(testArticles))
	}
	// b:3 was published at 00:30 on 1 January 2020 in Hà Nội (still 2019 in
	// UTC): it belongs to 2020. Years between are zero-filled.
	if got, want := bucketsString(all.Facets.Years), "2020:1 2021:0 2022:1 2023:0 2024:2 "; got != want {
		t.Errorf("years: got %q, want %q", got, want)
	}
	if all.Facets.Months != nil {
		t.Errorf("months over more than 24 months: got %v, want none", all.Facets.Months)
	}
	if got, want := bucketsString(all.Facets.Sources), "a.vn:2 b.vn:2 c.vn:1 "; got != want {
		t.Errorf("sources: got %q, want %q", got, want)
	}
	if got, want := ids(all), "b:4 a:1 a:2 b:3 c:5"; got != want {
		t.Errorf("empty query lists newest first, undated last: got %q, want %q", got, want)
	}

	from := time.Date(2024, 1, 1, 0, 0, 0, 0, hanoi)
	to := time.Date(2025, 1, 1, 0, 0, 0, 0, hanoi).Add(-time.Nanosecond)
	year, err := ix.Search(ctx, SearchRequest{From: from, To: to, Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := bucketsString(year.Facets.Months), "2024-01:0 2024-02:0 2024-03:0 2024-04:0 2024-05:0 2024-06:1 2024-07:1 2024-08:0 2024-09:0 2024-10:0 2024-11:0 2024-12:0 "; got != want {
		t.Errorf("months of a selected year: got %q, want %q", got, want)
	}
	if year.Total != 2 {
		t.Errorf("2024 total %d, want 2", year.Total)
	}

	filtered, err := ix.Search(ctx, SearchRequest{Sources: []string{"b.vn", "c.vn"}, Categories: []string{"Thời sự"}, Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(filtered); got != "b:4" {
		t.Errorf("source (b.vn OR c.vn) AND category Thời sự: got %q, want b:4", got)
	}
	sum := 0
	for _, b := range all.Facets.Categories {
		sum += b.Count
	}
	if sum != int(all.Total) {
		t.Errorf("category counts add up to %d, total is %d", sum, all.Total)
	}
}

func TestHighlight(t *testing.T) {
	ix := newTestIndex(t)
	r, err := ix.Search(context.Background(), SearchRequest{Query: words("ha", "noi"), Page: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Hits[0]
	if want := "<mark>Hà Nội</mark> mưa lớn, nhiều tuyến đường ngập sâu"; h.TitleHTML != want {
		t.Errorf("title_html: got %q, want %q", h.TitleHTML, want)
	}
	if want := "Chiều qua, <mark>Hà Nội</mark> có mưa lớn kéo dài. Nhiều tuyến đường <mark>nội</mark> thành ngập sâu."; h.Snippet != want {
		t.Errorf("snippet: got %q, want %q", h.Snippet, want)
	}
}

func TestSnippetEscapesAndWindows(t *testing.T) {
	text := "<b>x</b> " + strings.Repeat("lời mở đầu ", 40) + "Dân vận khéo & đúng " + strings.Repeat("phần sau ", 40)
	start := len("<b>x</b> " + strings.Repeat("lời mở đầu ", 40))
	got := snippet(text, []span{{start, start + len("Dân")}, {start + len("Dân "), start + len("Dân vận")}})
	if want := "<mark>Dân vận</mark> khéo &amp; đúng"; !strings.Contains(got, want) {
		t.Errorf("snippet %q does not contain %q", got, want)
	}
	if got[:len("…")] != "…" || got[len(got)-len("…"):] != "…" {
		t.Errorf("snippet cut on both sides should show ellipses: %q", got)
	}
	if strings.Contains(got, "<b>") {
		t.Errorf("snippet not escaped: %q", got)
	}
}
