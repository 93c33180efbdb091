package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"kho/index"
	"kho/internal/ingest"
)

// searchSnapshot is what one search says about the archive: its total and
// the facet counts computed from the same snapshot.
type searchSnapshot struct {
	Total  int
	Facets struct {
		Years   []struct{ Count int }
		Sources []struct{ Count int }
	}
}

func (s searchSnapshot) sums() (years, sources int) {
	for _, b := range s.Facets.Years {
		years += b.Count
	}
	for _, b := range s.Facets.Sources {
		sources += b.Count
	}
	return years, sources
}

// dated writes n dated articles of source src, ids from first, as JSON Lines.
func dated(src string, first, n int) string {
	var b strings.Builder
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, `{"source": %q, "id": "%d", "title": "Tin đồng bộ số %d", "body": "Nội dung %d.", "published": "20%02d-05-0%dT10:00:00+07:00"}`+"\n",
			src, i, i, i, 18+i%6, 1+i%9)
	}
	return b.String()
}

// TestSearchesDuringWrites searches while articles are written through the
// API and through an ingest at once: no search fails, a total never goes
// down (articles are only added), each result's facets add up to its total
// (one snapshot), and in the end every article is found once.
func TestSearchesDuringWrites(t *testing.T) {
	ix, err := index.Create(filepath.Join(t.TempDir(), "ix"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, _ := newTestServer(t, Config{Index: ix, WriteToken: testToken})

	const apiBatches, perBatch, ingested = 10, 25, 500
	file := filepath.Join(t.TempDir(), "archive.jsonl")
	if err := os.WriteFile(file, []byte(dated("ingest.test", 0, ingested)), 0o644); err != nil {
		t.Fatal(err)
	}

	var writers, searchers sync.WaitGroup
	writers.Go(func() {
		for b := range apiBatches {
			if status, res := put(t, s, "/api/articles", dated("api.test", b*perBatch, perBatch)); status != 200 || res.Added != perBatch {
				t.Errorf("API batch %d: status %d, %+v", b, status, res)
			}
		}
	})
	writers.Go(func() {
		in := ingest.New(ingest.Options{Location: ix.Location()})
		w := ix.NewWriter(index.WriterOptions{BatchSize: 100, OnResult: in.Outcome})
		sum, err := in.Run(context.Background(), []string{file}, w)
		if err != nil || sum.Added != ingested {
			t.Errorf("ingest: %v, %+v", err, sum)
		}
	})
	done := make(chan struct{})
	var searches atomic.Int64
	for g := range 4 {
		searchers.Go(func() {
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				q := []string{"q=tin+dong+bo", "q=", "q=%22n%E1%BB%99i+dung%22&sort=newest"}[g%3]
				rec := do(t, s, "GET", "/api/search?"+q, nil)
				var snap searchSnapshot
				if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &snap) != nil {
					t.Errorf("search %s: status %d: %s", q, rec.Code, rec.Body)
					return
				}
				searches.Add(1)
				if snap.Total < last {
					t.Errorf("search %s: total went down from %d to %d", q, last, snap.Total)
				}
				last = snap.Total
				if y, src := snap.sums(); y != snap.Total || src != snap.Total {
					t.Errorf("search %s: total %d, but years add up to %d and sources to %d", q, snap.Total, y, src)
				}
			}
		})
	}
	writers.Wait()
	close(done)
	searchers.Wait()
	t.Logf("%d searches during the writes", searches.Load())

	want := apiBatches*perBatch + ingested
	for _, q := range []string{"tin dong bo", "", `"nội dung"`} {
		if got := total(t, s, q); got != want {
			t.Errorf("after the writes, search %q: %d, want %d", q, got, want)
		}
	}
}
