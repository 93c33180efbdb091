package web

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	june := time.Date(2024, 6, 26, 17, 5, 0, 0, time.UTC) // 00:05 on the 27th in Saigon
	tests := []struct{ got, want string }{
		{day(june, saigon), "27/06/2024"},
		{day(time.Time{}, saigon), "không rõ ngày"},
		{dayTime(june, saigon), "00:05, 27/06/2024"},
		{dayTime(time.Date(2024, 6, 26, 0, 0, 0, 0, saigon), saigon), "26/06/2024"},
		{count(0), "0"}, {count(999), "999"}, {count(1000), "1.000"}, {count(1234567), "1.234.567"},
		{seconds(3 * time.Millisecond), "0,003 giây"}, {seconds(1500 * time.Millisecond), "1,500 giây"},
		{dateFilterLabel("2024", "2024"), "Năm 2024"},
		{dateFilterLabel("2024-06", "2024-06"), "Tháng 06/2024"},
		{dateFilterLabel("2024-06-26", "2024-06-26"), "Ngày 26/06/2024"},
		{dateFilterLabel("2019", "2024-06"), "Từ 2019 đến 06/2024"},
		{dateFilterLabel("2019-01-02", ""), "Từ 02/01/2019"},
		{dateFilterLabel("", "2020"), "Đến 2020"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

// pages renders a pager as text: [3] is the current page, … a gap.
func pages(p pager) string {
	var parts []string
	if p.Prev != "" {
		parts = append(parts, "‹")
	}
	for _, l := range p.Pages {
		switch {
		case l.Gap:
			parts = append(parts, "…")
		case l.Current:
			parts = append(parts, fmt.Sprintf("[%d]", l.N))
		default:
			parts = append(parts, fmt.Sprint(l.N))
		}
	}
	if p.Next != "" {
		parts = append(parts, "›")
	}
	return strings.Join(parts, " ")
}

func TestPager(t *testing.T) {
	tests := []struct {
		page, size int
		total      uint64
		want       string
	}{
		{1, 10, 0, ""},
		{1, 10, 10, ""},
		{1, 10, 11, "[1] 2 ›"},
		{1, 10, 100, "[1] 2 3 … 10 ›"},
		{5, 10, 100, "‹ 1 2 3 4 [5] 6 7 … 10 ›"},
		{6, 10, 100, "‹ 1 … 4 5 [6] 7 8 9 10 ›"},
		{10, 10, 100, "‹ 1 … 8 9 [10]"},
		{12, 10, 100, "‹ 1 … 10"},              // past the end: back to the last page
		{1, 10, 5_000_000, "[1] 2 3 … 1000 ›"}, // the engine serves 10,000 results at most
	}
	for _, tt := range tests {
		if got := pages(newPager(state{}, tt.page, tt.size, tt.total)); got != tt.want {
			t.Errorf("page %d of %d results: %q, want %q", tt.page, tt.total, got, tt.want)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	s := New(&fakeEngine{}, nil)
	css := s.assets.url("style.css")
	tests := []struct {
		target, status, contentType, cache string
	}{
		{css, "200", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/static/style.css?v=old", "200", "text/css; charset=utf-8", "no-cache"},
		{s.assets.url("kho.js"), "200", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{s.assets.url("icon.svg"), "200", "image/svg+xml", "public, max-age=31536000, immutable"},
		{"/static/", "404", "", ""},
		{"/static/../server.go", "404", "", ""},
	}
	for _, tt := range tests {
		r := get(t, &fakeEngine{}, tt.target)
		if fmt.Sprint(r.status) != tt.status {
			t.Errorf("%s: status %d, want %s", tt.target, r.status, tt.status)
			continue
		}
		if tt.status != "200" {
			continue
		}
		if got := r.header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s: Content-Type %q, want %q", tt.target, got, tt.contentType)
		}
		if got := r.header.Get("Cache-Control"); got != tt.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tt.target, got, tt.cache)
		}
	}
}
