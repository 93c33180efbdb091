package index

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
	uq "kho/internal/query"
)

var hanoi = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testArticles is a tiny archive written for these tests.
var testArticles = []article.Article{
	{ID: "a:1", Title: "Hà Nội mưa lớn, nhiều tuyến đường ngập sâu", Body: "Chiều qua, Hà Nội có mưa lớn kéo dài. Nhiều tuyến đường nội thành ngập sâu.",
		Source: "a.vn", Category: "Thời sự", Published: time.Date(2024, 6, 26, 10, 30, 0, 0, hanoi)},
	{ID: "a:2", Title: "Giá vàng hôm nay tăng mạnh", Body: "Sáng nay ở Hà Tĩnh, giá vàng tăng. Người dân nội địa đổ xô đi mua.",
		Source: "a.vn", Category: "Kinh doanh", Published: time.Date(2022, 3, 1, 8, 0, 0, 0, hanoi)},
	{ID: "b:3", Title: "Dương cầm trong đêm", Body: "Buổi hòa nhạc dương cầm thu hút khán giả.",
		Source: "b.vn", Category: "Văn hóa", Published: time.Date(2020, 1, 1, 0, 30, 0, 0, hanoi)},
	{ID: "b:4", Title: "Con đường mới ở ngoại thành", Body: "Đường mới được thông xe, người dân hoà vui.",
		Source: "b.vn", Category: "Thời sự", Published: time.Date(2024, 7, 2, 9, 0, 0, 0, hanoi)},
	{ID: "c:5", Title: "Tin không ngày tháng", Body: "Bài này không có ngày đăng. Dân vận khéo ở khu phố.",
		Source: "c.vn", Category: "Xã hội"},
}

func newTestIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for i := range testArticles {
		a := testArticles[i]
		a.PublishedFrom = article.FromMetadata
		if err := indexArticle(ix, &a); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

func words(ws ...string) uq.Node {
	if len(ws) == 1 {
		return uq.Word{Text: ws[0]}
	}
	var a uq.And
	for _, w := range ws {
		a.Nodes = append(a.Nodes, uq.Word{Text: w})
	}
	return a
}

func ids(r *SearchResult) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return strings.Join(out, " ")
}

func TestSearchRanking(t *testing.T) {
	ix := newTestIndex(t)
	tests := []struct {
		name     string
		q        uq.Node
		want     string // ids in rank order; with anyOrder, the set of ids
		anyOrder bool
	}{
		{"folded query finds every form, adjacent first", words("ha", "noi"), "a:1 a:2", false},
		{"exact diacritics rank first", words("đường"), "b:4 a:1 b:3", false},
		{"folded matches all forms", words("duong"), "a:1 b:3 b:4", true},
		{"old tone placement finds new", words("hoà"), "b:3 b:4", true},
		{"exclusion", uq.And{Nodes: []uq.Node{uq.Word{Text: "duong"}, uq.Not{Node: uq.Word{Text: "cam"}}}}, "a:1 b:4", true},
		{"or", uq.Or{Nodes: []uq.Node{uq.Word{Text: "vang"}, uq.Word{Text: "khéo"}}}, "a:2 c:5", true},
		{"phrase", uq.Phrase{Words: []string{"dan", "van", "kheo"}}, "c:5", false},
		{"phrase needs adjacency", uq.Phrase{Words: []string{"ha", "noi"}}, "a:1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), SearchRequest{Query: tc.q, Page: 1, Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(r)
			if tc.anyOrder {
				got = sortedWords(got)
			}
			if got != tc.want {
				t.Errorf("%s: got %q, want %q", tc.q, got, tc.want)
			}
		})
	}
}

func sortedWords(s string) string {
	f := strings.Fields(s)
	sort.Strings(f)
	return strings.Join(f, " ")
}

// A search with filters and no words lists the filtered articles newest
// first; nothing is scored, so every score is a finite zero that JSON can
// carry (a keyword filter alone used to score NaN).
func TestSearchFiltersWithoutWords(t *testing.T) {
	ix := newTestIndex(t)
	tests := []struct {
		name string
		req  SearchRequest
		want string
	}{
		{"source", SearchRequest{Sources: []string{"a.vn"}}, "a:1 a:2"},
		{"section", SearchRequest{Categories: []string{"Thời sự"}}, "b:4 a:1"},
		{"source and year", SearchRequest{Sources: []string{"b.vn"},
			From: time.Date(2024, 1, 1, 0, 0, 0, 0, hanoi), To: time.Date(2024, 12, 31, 23, 59, 59, 0, hanoi)}, "b:4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Page, tc.req.Size = 1, 10
			r, err := ix.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(r); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			for _, h := range r.Hits {
				if h.Score != 0 {
					t.Errorf("%s: score %v, want 0", h.ID, h.Score)
				}
			}
		})
	}
}

// Under OR the tiers do not reach: the exact form still ranks first there,
// through the score.
func TestExactFormRanksFirstUnderOr(t *testing.T) {
	ix := newTestIndex(t)
	q := uq.Or{Nodes: []uq.Node{uq.Word{Text: "đường"}, uq.Word{Text: "khéo"}}}
	r, err := ix.Search(context.Background(), SearchRequest{Query: q, Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedWords(ids(r)); got != "a:1 b:3 b:4 c:5" {
		t.Fatalf("%s: got %q, want a:1 b:3 b:4 c:5 in some order", q, got)
	}
	if last := r.Hits[len(r.Hits)-1].ID; last != "b:3" {
		t.Errorf("%s: %s (dương only) ranks above an exact form: %s", q, last, ids(r))
	}
}

// Searches wait in line for a core; one whose request goes away while it
// waits leaves the line with the request's error instead of running.
func TestWaitingInLineGivesUpWithItsRequest(t *testing.T) {
	ix := newTestIndex(t)
	for range cap(ix.searching) { // every core busy
		ix.searching <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := ix.Search(ctx, SearchRequest{Query: words("ha", "noi"), Page: 1, Size: 10}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("search while every core is busy: err %v, want the request's deadline", err)
	}
	draft := RelatedRequest{Title: "Hà Nội mưa lớn", Text: "Mưa lớn ở Hà Nội chiều nay.", Size: 5}
	if _, err := ix.Related(ctx, draft); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("related stories while every core is busy: err %v, want the request's deadline", err)
	}
	for range cap(ix.searching) {
		<-ix.searching
	}
	if r, err := ix.Search(context.Background(), SearchRequest{Query: words("ha", "noi"), Page: 1, Size: 10}); err != nil || r.Total == 0 {
		t.Fatalf("search after the line cleared: %v, %v", r, err)
	}
	if _, err := ix.Related(context.Background(), draft); err != nil {
		t.Fatalf("related stories after the line cleared: %v", err)
	}
}
