package bench

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
)

var hcm = time.FixedZone("ICT", 7*3600)

// baselineArticles is a tiny archive written for these tests.
var baselineArticles = []article.Article{
	{ID: "a.vn:1", Title: "Hà Nội mưa lớn, đường ngập sâu", Body: "Chiều qua Hà Nội mưa lớn.", Source: "a.vn",
		Category: "Thời sự", Published: time.Date(2024, 6, 26, 10, 0, 0, 0, hcm)},
	{ID: "a.vn:2", Title: "Giá vàng tăng", Body: "Ở Hà Tĩnh, giá vàng tăng; người dân đổ xô đi mua.", Source: "a.vn",
		Category: "Kinh doanh", Published: time.Date(2023, 3, 1, 8, 0, 0, 0, hcm)},
	{ID: "b.vn:3", Title: "Con đường mới ở Hà Nội", Body: "Đường mới thông xe.", Source: "b.vn",
		Category: "Thời sự", Published: time.Date(2024, 7, 2, 9, 0, 0, 0, hcm)},
	{ID: "c.vn:4", Title: "Tin không ngày tháng", Body: "Bài không rõ ngày đăng.", Source: "c.vn"},
}

func newBaseline(t *testing.T, arts []article.Article) *FTS5Writer {
	t.Helper()
	db, err := OpenFTS5(filepath.Join(t.TempDir(), "fts5.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w, err := NewFTS5Writer(db, hcm)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range arts {
		if err := w.Add(ctx, &arts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestFTS5Search(t *testing.T) {
	w := newBaseline(t, baselineArticles)
	tests := []struct {
		name   string
		s      FTS5Search
		want   string // hit keys in order
		years  string // facet "key=count …"
		inHTML string // in the first hit's title_html
	}{
		{"folded words; đ is stored as d", FTS5Search{Text: "duong ha noi"}, "b.vn:3 a.vn:1", "2024=2", "<mark>dường</mark>"},
		{"diacritics typed", FTS5Search{Text: "Hà Nội"}, "", "2024=2", "<mark>Hà</mark>"},
		{"source filter", FTS5Search{Text: "ha", Sources: []string{"a.vn"}}, "", "2023=1 2024=1", ""},
		{"year filter, newest", FTS5Search{Text: "ha", Newest: true,
			From: time.Date(2024, 1, 1, 0, 0, 0, 0, hcm), To: time.Date(2024, 12, 31, 23, 59, 59, 0, hcm)}, "b.vn:3 a.vn:1", "2024=2", ""},
		{"empty query lists newest first, undated last", FTS5Search{}, "b.vn:3 a.vn:1 a.vn:2 c.vn:4", "2023=1 2024=2", ""},
		{"undated article found by a filter alone", FTS5Search{Sources: []string{"c.vn"}}, "c.vn:4", "", ""},
		{"empty query, filtered", FTS5Search{Categories: []string{"Kinh doanh"}}, "a.vn:2", "2023=1", ""},
		{"no match", FTS5Search{Text: "bão"}, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.s.Size = 10
			res, err := SearchFTS5(context.Background(), w.db, tc.s)
			if err != nil {
				t.Fatal(err)
			}
			var keys, years []string
			for _, h := range res.Hits {
				keys = append(keys, h.ID)
			}
			for _, c := range res.Facets["years"] {
				years = append(years, c.Key+"="+strconv.Itoa(c.Count))
			}
			if tc.want != "" && strings.Join(keys, " ") != tc.want {
				t.Errorf("hits %q, want %q", keys, tc.want)
			}
			if got := strings.Join(years, " "); got != tc.years {
				t.Errorf("years %q, want %q", got, tc.years)
			}
			if res.Total != len(keys) {
				t.Errorf("total %d, %d hits", res.Total, len(keys))
			}
			if tc.inHTML != "" && (len(res.Hits) == 0 || !strings.Contains(res.Hits[0].TitleHTML, tc.inHTML)) {
				t.Errorf("first title_html %v lacks %q", res.Hits, tc.inHTML)
			}
		})
	}
}

// Ingesting a key again replaces the article, as kho's writer does.
func TestFTS5Upsert(t *testing.T) {
	changed := baselineArticles[0]
	changed.Title, changed.Body = "Bão số 3 đổ bộ", "Gió giật mạnh."
	w := newBaseline(t, append(append([]article.Article(nil), baselineArticles...), changed))
	ctx := context.Background()
	for _, tc := range []struct {
		text string
		want int
	}{{"bao", 1}, {"mua lon", 0}, {"", len(baselineArticles)}} {
		res, err := SearchFTS5(ctx, w.db, FTS5Search{Text: tc.text, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != tc.want {
			t.Errorf("%q: total %d, want %d", tc.text, res.Total, tc.want)
		}
	}
}

func TestFTSMatch(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Hà Nội", `"ha" "noi"`},
		{"đường 8-2", `"duong" "8" "2"`},
		{`"OR" NEAR`, `"or" "near"`}, // FTS5 operators become plain terms
		{" ,. ", ""},
	}
	for _, tc := range tests {
		if got := ftsMatch(tc.text); got != tc.want {
			t.Errorf("ftsMatch(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}
