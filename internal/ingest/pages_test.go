package ingest

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
