package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"kho/index"
	"kho/internal/request"
)

func TestSearchPageShowsResults(t *testing.T) {
	var got index.SearchRequest
	e := &fakeEngine{search: func(req index.SearchRequest) (*index.SearchResult, error) {
		got = req
		res := result()
		res.Suggestion = "dân vận"
		return res, nil
	}}
	r := get(t, e, "/?q=dan+van")
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", r.status, r.body)
	}
	if got.Text != "dan van" || got.Query == nil || got.Page != 1 || got.Size != 10 {
		t.Errorf("engine got %+v, want the parsed query dan van, page 1, size 10", got)
	}
	for _, want := range []string{
		`<html lang="vi">`,
		`value="dan van"`, // the box keeps the query
		`<mark>Dân vận</mark> khéo ở Hà Nội`,
		`phong trào <mark>dân vận</mark> khéo &amp; hiệu quả`,
		`<time datetime="2024-06-26">26/06/2024</time>`,
		`không rõ ngày`,
		`Thời sự`, `kinhtedothi.vn`,
		`Tìm thấy 12 kết quả`, `0,003 giây`,
		`Có phải bạn muốn tìm:`,
		`Cũng đăng trên: baomoi.com, vov.vn`,
		`title="Năm 2024: 10 bài viết"`,
		`<title>dan van – Tìm kiếm – Kho</title>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, href := range []string{
		"/a/kinhtedothi.vn:123?q=dan+van",              // the article, remembering the search
		"/?q=d%C3%A2n+v%E1%BA%ADn",                     // the suggestion
		"/?from=2024&q=dan+van&to=2024",                // a year of the chart
		"/?category=Th%E1%BB%9Di+s%E1%BB%B1&q=dan+van", // a section facet
		"/?q=dan+van&source=tuoitre.vn",                // a source facet
		"/?q=dan+van&sort=newest", "/?q=dan+van&sort=oldest",
		"/?page=2&q=dan+van", // the next page
	} {
		if !r.hasLink(href) {
			t.Errorf("page lacks a link to %s", href)
		}
	}
	if r.hasLink("/?from=2023&q=dan+van&to=2023") {
		t.Error("a year without articles is a link; it can only lead to no results")
	}
}

func TestSearchPassesParametersToEngine(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, saigon) }
	tests := []struct {
		target string
		check  func(index.SearchRequest) bool
	}{
		{"/", func(r index.SearchRequest) bool {
			return r.Query == nil && r.Page == 1 && r.Sort == index.SortRelevance
		}},
		{"/?from=2024&to=2024", func(r index.SearchRequest) bool {
			return r.From.Equal(day(2024, 1, 1)) && r.To.Equal(day(2025, 1, 1).Add(-time.Nanosecond))
		}},
		{"/?from=2024-06", func(r index.SearchRequest) bool { return r.From.Equal(day(2024, 6, 1)) && r.To.IsZero() }},
		{"/?source=a.vn&source=b.vn&category=X", func(r index.SearchRequest) bool {
			return slices.Equal(r.Sources, []string{"a.vn", "b.vn"}) && slices.Equal(r.Categories, []string{"X"})
		}},
		{"/?author=Lan&tag=covid", func(r index.SearchRequest) bool {
			return slices.Equal(r.Authors, []string{"Lan"}) && slices.Equal(r.Tags, []string{"covid"})
		}},
		{"/?sort=newest&page=3&size=20", func(r index.SearchRequest) bool {
			return r.Sort == index.SortNewest && r.Page == 3 && r.Size == 20
		}},
		{"/?q=&from=&sort=", func(r index.SearchRequest) bool { return r.Query == nil && r.From.IsZero() }},
		{"/?q=x&utm_source=fb&fbclid=abc", func(r index.SearchRequest) bool { return r.Text == "x" }},
	}
	for _, tt := range tests {
		var got index.SearchRequest
		e := &fakeEngine{search: func(req index.SearchRequest) (*index.SearchResult, error) {
			got = req
			return result(), nil
		}}
		if r := get(t, e, tt.target); r.status != http.StatusOK {
			t.Errorf("%s: status %d, want 200", tt.target, r.status)
			continue
		}
		if !tt.check(got) {
			t.Errorf("%s: engine got %+v", tt.target, got)
		}
	}
}

// The state of a page lives in its URL: every link changes one thing and
// keeps the rest.
func TestSearchLinksKeepTheRestOfTheState(t *testing.T) {
	e := &fakeEngine{search: func(req index.SearchRequest) (*index.SearchResult, error) {
		res := result()
		res.Facets.Years = []index.Bucket{bucket("2024", 10)}
		res.Facets.Months = []index.Bucket{bucket("2024-05", 4), bucket("2024-06", 6)}
		res.Total = 45
		return res, nil
	}}
	r := get(t, e, "/?q=lu&from=2024&to=2024&source=tuoitre.vn&category=Th%E1%BB%9Di+s%E1%BB%B1&sort=oldest&page=2")
	links := map[string]string{
		"month":           "/?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024-06&q=lu&sort=oldest&source=tuoitre.vn&to=2024-06",
		"remove source":   "/?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024&q=lu&sort=oldest&to=2024",
		"remove category": "/?from=2024&q=lu&sort=oldest&source=tuoitre.vn&to=2024",
		"remove dates":    "/?category=Th%E1%BB%9Di+s%E1%BB%B1&q=lu&sort=oldest&source=tuoitre.vn",
		"clear all":       "/?q=lu&sort=oldest",
		"add a source":    "/?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024&q=lu&sort=oldest&source=tuoitre.vn&source=kinhtedothi.vn&to=2024",
		"sort relevance":  "/?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024&q=lu&source=tuoitre.vn&to=2024",
		"previous page":   "/?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024&q=lu&sort=oldest&source=tuoitre.vn&to=2024",
		"page 3":          "/?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024&page=3&q=lu&sort=oldest&source=tuoitre.vn&to=2024",
		"article":         "/a/kinhtedothi.vn:123?category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024&page=2&q=lu&sort=oldest&source=tuoitre.vn&to=2024",
	}
	for name, href := range links {
		if !r.hasLink(href) {
			t.Errorf("%s: no link to %s", name, href)
		}
	}
	for _, want := range []string{
		`Năm 2024 <span class="x"`, `Nguồn: tuoitre.vn`, `Chuyên mục: Thời sự`, // chips
		`Số bài theo tháng năm 2024`, `>T6<`, `title="Tháng 6/2024: 6 bài viết"`,
		`aria-current="true" class="on">Cũ nhất`,
		`<input type="hidden" name="source" value="tuoitre.vn">`, // the box keeps the filters
		`<ol class="hits" start="11">`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(r.body, `name="page"`) {
		t.Error("a form carries the page: a new search must start at page 1")
	}
}

func TestSortLinks(t *testing.T) {
	show := func(ls []link) string {
		var parts []string
		for _, l := range ls {
			s := l.Label + " " + l.Href
			if l.Current {
				s = "[" + s + "]"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " | ")
	}
	tests := []struct {
		target, want string
	}{
		{"/?q=a", "[Liên quan nhất /?q=a] | Mới nhất /?q=a&sort=newest | Cũ nhất /?q=a&sort=oldest"},
		{"/?q=a&sort=newest&page=2", "Liên quan nhất /?q=a | [Mới nhất /?q=a&sort=newest] | Cũ nhất /?q=a&sort=oldest"},
		{"/", "[Mới nhất /] | Cũ nhất /?sort=oldest"}, // no query: newest first
		{"/?sort=oldest&source=x", "Mới nhất /?source=x | [Cũ nhất /?sort=oldest&source=x]"},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.target)
		req, err := request.ParseSearch(u.Query(), saigon)
		if err != nil {
			t.Fatal(err)
		}
		if got := show(sortLinks(stateOf(u.Query()), req.Sort, req.Query != nil)); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.target, got, tt.want)
		}
	}
}

func TestSearchFriendlyPages(t *testing.T) {
	empty := func(index.SearchRequest) (*index.SearchResult, error) { return &index.SearchResult{}, nil }
	tests := []struct {
		name, target string
		search       func(index.SearchRequest) (*index.SearchResult, error)
		status       int
		want         []string
		not          []string
	}{
		{"empty archive", "/", empty, 200,
			[]string{"Kho lưu trữ chưa có bài viết nào", "kho ingest"}, []string{"Không tìm thấy"}},
		{"no results", "/?q=xyz", empty, 200,
			[]string{"Không tìm thấy bài viết nào cho “xyz”", "Kiểm tra lại chính tả"}, []string{"chưa có bài viết"}},
		{"no results with filters", "/?q=xyz&source=a.vn&from=2020", empty, 200,
			[]string{"Bỏ bớt bộ lọc", "xóa mọi bộ lọc"}, nil},
		{"filters on an empty result are not an empty archive", "/?source=a.vn", empty, 200,
			[]string{"Không tìm thấy bài viết nào"}, []string{"chưa có bài viết"}},
		{"engine error", "/?q=x", func(index.SearchRequest) (*index.SearchResult, error) {
			return nil, errors.New("bleve: segment 7 corrupt")
		}, 500, []string{"Đã xảy ra lỗi"}, []string{"bleve", "segment"}},
		{"timeout", "/?q=x", func(index.SearchRequest) (*index.SearchResult, error) {
			return nil, context_deadline()
		}, 503, []string{"Đã xảy ra lỗi"}, nil},
		{"bad size", "/?q=hoa&size=500", empty, 400,
			[]string{"Tham số <code>size</code>: Số kết quả mỗi trang phải từ 1 đến 100", "between 1 and 100, got 500", `value="hoa"`}, []string{`name="size"`}},
		{"bad date", "/?q=hoa&from=26%2F06%2F2024", empty, 400,
			[]string{"Tham số <code>from</code>", "YYYY-MM-DD"}, []string{`value="26/06/2024"`}},
		{"from after to", "/?from=2024&to=2020", empty, 400, []string{"<code>from</code>"}, nil},
		{"unknown parameter", "/?qq=hoa", empty, 400, []string{"<code>qq</code>", "không dùng tham số", "unknown parameter"}, nil},
		{"bad query", "/?q=%22hoa", empty, 400, []string{"<code>q</code>", "cú pháp", `value="&#34;hoa"`}, nil},
		{"past the last page", "/?q=x&page=9", func(index.SearchRequest) (*index.SearchResult, error) {
			return &index.SearchResult{Total: 12}, nil
		}, 200, []string{"Trang này không còn kết quả", `href="/?page=2&amp;q=x"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, &fakeEngine{search: tt.search}, tt.target)
			if r.status != tt.status {
				t.Errorf("status %d, want %d", r.status, tt.status)
			}
			if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(r.body, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}

// FuzzSearchPage sends any query string to the search page: it answers 200
// or 400 with a whole page, never a crash or a 500.
func FuzzSearchPage(f *testing.F) {
	for _, s := range []string{
		"q=dan+van", "q=%22abc", "from=2024&to=2023", "size=0", "page=99999", "source=&source=a",
		"q=a&sort=x", "q=%ff%fe", "q=a&q=b", "fbclid=1&q=x", "from=2024-02-30", "%zz", "q=-a+OR",
	} {
		f.Add(s)
	}
	h := router(&fakeEngine{search: func(index.SearchRequest) (*index.SearchResult, error) { return result(), nil }})
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := getFrom(h, "/?"+url.PathEscape(rawQuery))
		if r.status != http.StatusOK && r.status != http.StatusBadRequest {
			t.Fatalf("?%s: status %d", rawQuery, r.status)
		}
		if !strings.HasSuffix(strings.TrimSpace(r.body), "</html>") {
			t.Fatalf("?%s: the page is cut short", rawQuery)
		}
	})
}
