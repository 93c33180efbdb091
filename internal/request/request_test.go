package request

import (
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"kho/index"
	"kho/internal/query"
)

var ict = time.FixedZone("ICT", 7*3600)

func parse(t *testing.T, raw string, ignore ...string) (index.SearchRequest, error) {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("url.ParseQuery(%q): %v", raw, err)
	}
	return ParseSearch(v, ict, ignore...)
}

func mustQuery(t *testing.T, s string) query.Node {
	t.Helper()
	n, err := query.Parse(s)
	if err != nil {
		t.Fatalf("query.Parse(%q): %v", s, err)
	}
	return n
}

func TestParseSearch(t *testing.T) {
	defaults := index.SearchRequest{Sort: index.SortRelevance, Page: 1, Size: 10}
	with := func(change func(*index.SearchRequest)) index.SearchRequest {
		r := defaults
		change(&r)
		return r
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ict) }
	tests := []struct {
		in   string
		want index.SearchRequest
	}{
		{"", defaults},
		{"q=", defaults},
		{"q=+++", with(func(r *index.SearchRequest) { r.Text = "   " })},
		{"q=d%C3%A2n+v%E1%BA%ADn+OR+%22d%C3%A2n+ch%E1%BB%A7%22", with(func(r *index.SearchRequest) {
			r.Text = `dân vận OR "dân chủ"`
			r.Query = mustQuery(t, r.Text)
		})},
		{"q=-abc", with(func(r *index.SearchRequest) { r.Text, r.Query = "-abc", mustQuery(t, "-abc") })},
		{"q=" + strings.Repeat("a+", 64), with(func(r *index.SearchRequest) {
			r.Text = strings.Repeat("a ", 64)
			r.Query = mustQuery(t, r.Text)
		})},
		{"from=2024-06", with(func(r *index.SearchRequest) { r.From = day(2024, 6, 1) })},
		{"to=2024-06", with(func(r *index.SearchRequest) { r.To = day(2024, 7, 1).Add(-time.Nanosecond) })},
		{"from=2023&to=2024", with(func(r *index.SearchRequest) {
			r.From, r.To = day(2023, 1, 1), day(2025, 1, 1).Add(-time.Nanosecond)
		})},
		{"from=2024-06-15&to=2024-06", with(func(r *index.SearchRequest) {
			r.From, r.To = day(2024, 6, 15), day(2024, 7, 1).Add(-time.Nanosecond)
		})},
		{"from=2024-06-15&to=2024-06-15", with(func(r *index.SearchRequest) {
			r.From, r.To = day(2024, 6, 15), day(2024, 6, 16).Add(-time.Nanosecond)
		})},
		{"from=&to=", defaults}, // empty form fields
		{"from=+2024+", with(func(r *index.SearchRequest) { r.From = day(2024, 1, 1) })},
		{"sort=relevance", defaults},
		{"sort=newest", with(func(r *index.SearchRequest) { r.Sort = index.SortNewest })},
		{"sort=oldest", with(func(r *index.SearchRequest) { r.Sort = index.SortOldest })},
		{"sort=", defaults},
		{"page=3&size=25", with(func(r *index.SearchRequest) { r.Page, r.Size = 3, 25 })},
		{"size=1", with(func(r *index.SearchRequest) { r.Size = 1 })},
		{"size=100&page=100", with(func(r *index.SearchRequest) { r.Page, r.Size = 100, 100 })},
		{"page=1000", with(func(r *index.SearchRequest) { r.Page = 1000 })},
		{"page=10000&size=1", with(func(r *index.SearchRequest) { r.Page, r.Size = 10000, 1 })},
		{"page=&size=", defaults},
		{"source=tuoitre.vn&source=+vnexpress.net+&source=&source=tuoitre.vn", with(func(r *index.SearchRequest) {
			r.Sources = []string{"tuoitre.vn", "vnexpress.net"}
		})},
		{"category=Th%E1%BB%9Di+s%E1%BB%B1&author=Minh+Anh&tag=a&tag=b", with(func(r *index.SearchRequest) {
			r.Categories, r.Authors, r.Tags = []string{"Thời sự"}, []string{"Minh Anh"}, []string{"a", "b"}
		})},
		{"source=" + strings.Repeat("x", 200), with(func(r *index.SearchRequest) { r.Sources = []string{strings.Repeat("x", 200)} })},
		{manyTags(100) + "&tag=t0", with(func(r *index.SearchRequest) {
			r.Tags = strings.Split(strings.ReplaceAll(manyTags(100), "tag=", ""), "&")
		})},
		{"tag=" + strings.Repeat("%C4%91", 200), with(func(r *index.SearchRequest) { r.Tags = []string{strings.Repeat("đ", 200)} })},
	}
	for _, tt := range tests {
		got, err := parse(t, tt.in)
		if err != nil {
			t.Errorf("ParseSearch(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSearch(%q) =\n%+v\nwant\n%+v", tt.in, got, tt.want)
		}
	}
}

func TestParseSearchErrors(t *testing.T) {
	tests := []struct {
		in    string
		param string
		code  string
		msg   string // Error()
	}{
		{"q=a&q=b", "q", CodeBadParameter, "q: given 2 times, expected once"},
		{"q=%22abc", "q", CodeBadQuery, "q: unclosed quote at column 1"},
		{"q=a+OR", "q", CodeBadQuery, "q: OR without a word after it at column 3"},
		{"q=" + strings.Repeat("%C4%91", 1001), "q", CodeBadParameter, "q: too long: 1001 characters, at most 1000"},
		{"q=" + strings.Repeat("a+", 65), "q", CodeBadParameter, "q: too many words: 65, at most 64"},
		{"q=" + strings.Repeat("%22a+b%22+", 33), "q", CodeBadParameter, "q: too many words: 66, at most 64"},
		{"from=2024-13", "from", CodeBadParameter, "from: 2024 has no month 13"},
		{"from=2024-02-30", "from", CodeBadParameter, "from: 2024-02 has no day 30"},
		{"to=2024-02-30", "to", CodeBadParameter, "to: 2024-02 has no day 30"},
		{"to=24-06", "to", CodeBadParameter, `to: want YYYY, YYYY-MM or YYYY-MM-DD, got "24-06"`},
		{"from=1899", "from", CodeBadParameter, "from: year 1899 is outside 1900–2200"},
		{"to=2201", "to", CodeBadParameter, "to: year 2201 is outside 1900–2200"},
		{"from=2024-07&to=2024-06", "from", CodeBadParameter, "from: 2024-07 is after to=2024-06"},
		{"from=2024-06-02&to=2024-06-01", "from", CodeBadParameter, "from: 2024-06-02 is after to=2024-06-01"},
		{"from=2024&from=2023", "from", CodeBadParameter, "from: given 2 times, expected once"},
		{"to=2024&to=", "to", CodeBadParameter, "to: given 2 times, expected once"},
		{"sort=best", "sort", CodeBadParameter, `sort: must be relevance, newest or oldest, got "best"`},
		{"sort=Newest", "sort", CodeBadParameter, `sort: must be relevance, newest or oldest, got "Newest"`},
		{"sort=newest&sort=oldest", "sort", CodeBadParameter, "sort: given 2 times, expected once"},
		{"size=500", "size", CodeBadParameter, "size: must be between 1 and 100, got 500"},
		{"size=0", "size", CodeBadParameter, "size: must be between 1 and 100, got 0"},
		{"size=-5", "size", CodeBadParameter, "size: must be between 1 and 100, got -5"},
		{"size=ten", "size", CodeBadParameter, `size: must be a whole number, got "ten"`},
		{"size=10.5", "size", CodeBadParameter, `size: must be a whole number, got "10.5"`},
		{"size=10&size=20", "size", CodeBadParameter, "size: given 2 times, expected once"},
		{"page=0", "page", CodeBadParameter, "page: must be between 1 and 10000, got 0"},
		{"page=x", "page", CodeBadParameter, `page: must be a whole number, got "x"`},
		{"page=99999999999999999999", "page", CodeBadParameter, "page: must be between 1 and 10000, got 99999999999999999999"},
		{"page=1001", "page", CodeBadParameter, "page: 1001 starts past the first 10000 results; with size 10 the last page is 1000"},
		{"page=101&size=100", "page", CodeBadParameter, "page: 101 starts past the first 10000 results; with size 100 the last page is 100"},
		{"page=335&size=30", "page", CodeBadParameter, "page: 335 starts past the first 10000 results; with size 30 the last page is 334"},
		{"page=1&page=2", "page", CodeBadParameter, "page: given 2 times, expected once"},
		{"source=" + strings.Repeat("x", 201), "source", CodeBadParameter, `source: value "xxxxxxxxxxxxxxxxxxxx"… is too long: 201 characters, at most 200`},
		{"author=" + strings.Repeat("%C4%91", 201), "author", CodeBadParameter, `author: value "đđđđđđđđđđđđđđđđđđđđ"… is too long: 201 characters, at most 200`},
		{manyTags(101), "tag", CodeBadParameter, "tag: more than 100 values"},
		{"qq=a", "qq", CodeUnknownParameter, "qq: unknown parameter (known: q, from, to, sort, size, page, source, category, author, tag)"},
		{"sources=a", "sources", CodeUnknownParameter, "sources: unknown parameter (known: q, from, to, sort, size, page, source, category, author, tag)"},
		{"=a", "", CodeUnknownParameter, `"": unknown parameter (known: q, from, to, sort, size, page, source, category, author, tag)`},
		{"z=1&b=1&q=%22", "b", CodeUnknownParameter, "b: unknown parameter (known: q, from, to, sort, size, page, source, category, author, tag)"},
	}
	for _, tt := range tests {
		_, err := parse(t, tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("ParseSearch(%q) = %v, want a *request.Error", tt.in, err)
			continue
		}
		if e.Param != tt.param || e.Code != tt.code || e.Error() != tt.msg {
			t.Errorf("ParseSearch(%q) error = {%q %q} %q\nwant {%q %q} %q", tt.in, e.Param, e.Code, e.Error(), tt.param, tt.code, tt.msg)
		}
	}
}

// manyTags is n different tag parameters.
func manyTags(n int) string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = "tag=t" + strconv.Itoa(i)
	}
	return strings.Join(tags, "&")
}

func TestParseSearchIgnore(t *testing.T) {
	got, err := parse(t, "q=a&view=list&lang=vi", "view", "lang")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "a" {
		t.Errorf("Text = %q, want %q", got.Text, "a")
	}
	if _, err := parse(t, "q=a&view=list&lang=vi", "view"); err == nil || !strings.HasPrefix(err.Error(), "lang: unknown parameter") {
		t.Errorf("lang not ignored: got error %v, want lang: unknown parameter", err)
	}
}

// The query's syntax error stays reachable, with its position, for pages that
// point at the mistake.
func TestParseSearchSyntaxError(t *testing.T) {
	_, err := parse(t, "q=a+b+%E2%80%9Cc")
	var se *query.SyntaxError
	if !errors.As(err, &se) || se.Pos != 4 || se.Column != 5 {
		t.Errorf("error %v: want a *query.SyntaxError at byte 4, column 5", err)
	}
}
