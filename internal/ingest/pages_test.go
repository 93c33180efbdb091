package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// pageGolden is the part of a page's Record a golden file pins down.
type pageGolden struct {
	Title       string   `json:"title"`
	URL         string   `json:"url,omitempty"`
	Published   string   `json:"published_raw,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Author      string   `json:"author,omitempty"`
	Category    string   `json:"category,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Body        []string `json:"body"`
	Captions    []string `json:"captions,omitempty"`
	ReadingList []string `json:"reading_list,omitempty"`
}

func goldenOf(r Record) pageGolden {
	return pageGolden{Title: r.Title, URL: r.URL, Published: r.Published, Summary: r.Summary, Author: r.Author,
		Category: r.Category, Tags: r.Tags, Body: strings.Split(r.Body, "\n\n"), Captions: r.Captions, ReadingList: r.ReadingList}
}

// TestPagesGolden extracts every text and HTML page of the sample archive
// and compares with testdata/golden/<page>.json (go test -update rewrites).
func TestPagesGolden(t *testing.T) {
	pages, _ := filepath.Glob("../../testdata/archive/text/*/*.txt")
	html, _ := filepath.Glob("../../testdata/archive/html/*.html")
	pages = append(pages, html...)
	if len(pages) < 8 {
		t.Fatalf("found %d pages in the sample archive, want at least 8", len(pages))
	}
	for _, p := range pages {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var rec Record
			if strings.HasSuffix(p, ".html") {
				if rec, err = ParseHTMLPage(b); err != nil {
					t.Fatal(err)
				}
			} else {
				rec = ParseTextPage(string(b))
			}
			got, _ := json.MarshalIndent(goldenOf(rec), "", "  ")
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))+".json")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if strings.TrimSpace(string(want)) != string(got) {
				t.Errorf("%s: extraction changed:\n%s\nwant:\n%s", p, got, want)
			}
		})
	}
}

func FuzzParseTextPage(f *testing.F) {
	f.Add("Tiêu đề\nThứ tư, 26/6/2024, 10:30 (GMT+7)\nNgày 26/6, đoạn một năm 2024.\n![]() |\n| Chú thích |\nĐoạn hai.\nTin khác\nTin một\nMục 04/12/2025 21:32\n")
	f.Add("| hộp |\n\nXem thêm: tin\nĐọc thêm\n70 năm Thủ đôCó thể bạn quan tâm\n")
	f.Fuzz(func(t *testing.T, page string) {
		rec := ParseTextPage(page)
		for _, part := range append(append([]string{rec.Title, rec.Body}, rec.Captions...), rec.ReadingList...) {
			if strings.Contains(part, "![]") && reImage.MatchString(strings.TrimSpace(part)) {
				t.Fatalf("image placeholder kept: %q", part)
			}
		}
		if rec.Title == "" && rec.Body != "" {
			t.Fatalf("a page with a body has no title: %q", page)
		}
	})
}

func FuzzParseHTMLPage(f *testing.F) {
	for _, p := range []string{"thu-vien-so.html", "lang-nghe-non.html"} {
		b, err := os.ReadFile("../../testdata/archive/html/" + p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<p>đoạn<script>x()</script></p><h3>Tin liên quan</h3><a>tin</a>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		rec, err := ParseHTMLPage(page)
		if err != nil {
			return
		}
		for _, p := range strings.Split(rec.Body, "\n\n") {
			if p != strings.TrimSpace(p) || strings.Contains(p, "\n") {
				t.Fatalf("paragraph not collapsed: %q", p)
			}
		}
	})
}

// An old page in windows-1258 (tones as combining marks) reads as UTF-8 NFC.
func TestHTMLLegacyCharset(t *testing.T) {
	b, err := os.ReadFile("testdata/windows-1258.html")
	if err != nil {
		t.Fatal(err)
	}
	var rec Record
	decodeHTMLPage(bytes.NewReader(b), "p.html", func(r Record, bad error) bool {
		if bad != nil {
			t.Fatal(bad)
		}
		rec = r
		return true
	})
	c := converter{loc: time.UTC, now: time.Now()}
	a := c.convert(rec).a
	if rec.InvalidUTF8 || a == nil || a.Title != "Hà Nội đón mùa thu" || a.Body != "Người dân thủ đô dạo phố." {
		t.Errorf("got %+v from %+v", a, rec)
	}
}
