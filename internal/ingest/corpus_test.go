package ingest

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kho/internal/shared"
)

// TestCorpusAccounting ingests every file of ../shared/corpus and checks
// that each record is either stored or in the report with a reason, per
// source. Expected counts come from an independent, minimal reading of the
// files.
func TestCorpusAccounting(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(shared.Dir(t), "corpus", "*.jsonl.gz"))
	if len(files) < 6 {
		t.Fatalf("found %d corpus files, want 6", len(files))
	}
	want, lines := map[string]int{}, 0
	for _, f := range files {
		n := countSources(t, f, want)
		t.Logf("%s: %d records", filepath.Base(f), n)
		lines += n
	}

	sink := newMemSink()
	sum, report := ingestInto(t, context.Background(), sink, Options{Now: time.Now}, files...)
	for _, l := range report {
		if l.Outcome != outcomeSkipped {
			t.Logf("%+v", l)
		}
	}
	t.Logf("read %d, added %d, skipped %v, repaired %d, warnings %d, %.0f records/s into a map",
		sum.Read, sum.Added, sum.Skipped, sum.Repaired, sum.Warnings, sum.PerSecond())
	if sum.Read != lines || sum.Files != len(files) {
		t.Errorf("read %d records in %d files, the corpus has %d in %d", sum.Read, sum.Files, lines, len(files))
	}
	got := map[string]int{}
	for _, a := range sink.docs {
		got[a.Source]++
	}
	skipped := 0
	for _, l := range report {
		if l.Outcome != outcomeSkipped {
			continue
		}
		skipped++
		source, _, ok := strings.Cut(l.Key, ":")
		if !ok || l.Reason == "" || l.Line == 0 {
			t.Errorf("report line without key, reason or line: %+v", l)
			continue
		}
		got[source]++
	}
	for source, n := range want {
		if got[source] != n {
			t.Errorf("source %s: %d stored or reported, the corpus has %d", source, got[source], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d sources stored, the corpus has %d", len(got), len(want))
	}
	if stored := len(sink.docs); stored+skipped != lines || sum.Added != stored {
		t.Errorf("%d stored + %d skipped != %d records (added %d)", stored, skipped, lines, sum.Added)
	}
}

// countSources adds each record's source per DESIGN.md (source field, else
// URL host, else the file's name) to counts.
func countSources(t *testing.T, path string, counts map[string]int) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	n := 0
	for sc.Scan() {
		var r struct{ Source, URL string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s:%d: %v", path, n+1, err)
		}
		source := strings.TrimPrefix(strings.ToLower(r.Source), "www.")
		if source == "" {
			if u, err := url.Parse(r.URL); err == nil && u.Host != "" {
				source = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
			}
		}
		if source == "" {
			source = strings.TrimSuffix(filepath.Base(path), ".jsonl.gz")
		}
		counts[source]++
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
