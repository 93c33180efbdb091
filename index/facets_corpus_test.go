package index

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
	"kho/internal/shared"
	"kho/internal/vntext"
)

// fileRecord is what the facet test reads from a corpus file itself,
// without the ingest pipeline.
type fileRecord struct {
	ID, URL, Source, Category, Published string
	Title, Summary, Body                 string
	stem                                 string
}

func (r fileRecord) source() string { return article.SourceOf(r.Source, r.URL, r.stem) }

func readFileRecords(tb testing.TB) []fileRecord {
	tb.Helper()
	var out []fileRecord
	for _, name := range corpusFiles {
		path := filepath.Join(shared.Dir(tb), "corpus", name)
		f, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for line := 1; sc.Scan(); line++ {
			r := fileRecord{stem: strings.TrimSuffix(name, ".jsonl.gz")}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				tb.Fatalf("%s line %d: %v", name, line, err)
			}
			out = append(out, r)
		}
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
		f.Close()
	}
	return out
}

// facetCase is one search whose facets the test checks, with the same
// selection made on the file records.
type facetCase struct {
	name string
	req  SearchRequest
	keep func(r fileRecord, published time.Time) bool
}

// TestFacetCountsCorpus checks the facets of searches over the whole corpus
// against counts made from the corpus files directly: years and months from
// each record's published date in the archive time zone, sources by the key
// rule of DESIGN.md, categories as the files give them. Articles whose date
// ingest inferred from their text have no date in the file; the test takes
// those dates from ingest, and says how many there are.
func TestFacetCountsCorpus(t *testing.T) {
	ix := corpusIndex(t)
	recs := readFileRecords(t)
	inferred := map[string]time.Time{} // source:id → date ingest found in the text
	for _, d := range corpusDocs(t) {
		if d.Article.PublishedFrom == article.FromText {
			inferred[d.Article.ID] = d.Article.Published
		}
	}
	t.Logf("%d records; %d dates inferred by ingest from the text", len(recs), len(inferred))

	y2021From := time.Date(2021, 1, 1, 0, 0, 0, 0, hanoi)
	y2021To := time.Date(2022, 1, 1, 0, 0, 0, 0, hanoi).Add(-time.Nanosecond)
	covid := func(r fileRecord) bool {
		text := r.Title + " " + r.Summary + " " + r.Body
		if !strings.Contains(strings.ToLower(text), "covid") {
			return false // most records; spares folding the whole corpus
		}
		return slices.Contains(strings.Fields(foldedWords(text)), "covid")
	}
	cases := []facetCase{
		{"whole archive", SearchRequest{}, func(fileRecord, time.Time) bool { return true }},
		{"source dantri.com.vn", SearchRequest{Sources: []string{"dantri.com.vn"}},
			func(r fileRecord, _ time.Time) bool { return r.source() == "dantri.com.vn" }},
		{"year 2021", SearchRequest{From: y2021From, To: y2021To},
			func(_ fileRecord, p time.Time) bool { return !p.IsZero() && p.In(hanoi).Year() == 2021 }},
		{"covid", SearchRequest{Query: words("covid")}, func(r fileRecord, _ time.Time) bool { return covid(r) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Page, tc.req.Size = 1, 10
			res, err := ix.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedFacets(t, recs, inferred, tc)
			if res.Total != uint64(want.total) {
				t.Errorf("total %d, files say %d", res.Total, want.total)
			}
			compareBuckets(t, "years", res.Facets.Years, want.years, false)
			compareBuckets(t, "months", res.Facets.Months, want.months, false)
			compareBuckets(t, "sources", res.Facets.Sources, want.sources, true)
			compareBuckets(t, "categories", res.Facets.Categories, want.categories, true)
		})
	}
}

type wantFacets struct {
	total                              int
	years, months, sources, categories map[string]int
}

func expectedFacets(t *testing.T, recs []fileRecord, inferred map[string]time.Time, tc facetCase) wantFacets {
	w := wantFacets{years: map[string]int{}, months: map[string]int{}, sources: map[string]int{}, categories: map[string]int{}}
	for _, r := range recs {
		var published time.Time
		if r.Published != "" {
			p, err := time.Parse(time.RFC3339, r.Published)
			if err != nil {
				t.Fatalf("record %s: published %q: %v", r.ID, r.Published, err)
			}
			published = p
		} else {
			published = inferred[r.source()+":"+r.ID]
		}
		if !tc.keep(r, published) {
			continue
		}
		w.total++
		w.sources[r.source()]++
		if c := strings.Join(strings.Fields(vntext.Repair(r.Category)), " "); c != "" {
			w.categories[c]++
		}
		if !published.IsZero() {
			p := published.In(hanoi)
			w.years[strconv.Itoa(p.Year())]++
			w.months[p.Format("2006-01")]++
		}
	}
	// Years and months are zero-filled between the first and the last;
	// months only over at most 24 months, or over the selected year.
	w.years = zeroFilled(w.years, "2006", 1, 0)
	w.months = zeroFilled(w.months, "2006-01", 0, 1)
	if y := tc.req.From.Year(); !tc.req.From.IsZero() && y == tc.req.To.Year() {
		for m := 1; m <= 12; m++ {
			w.months[fmt.Sprintf("%d-%02d", y, m)] += 0
		}
	} else if len(w.months) > monthLimit {
		w.months = nil
	}
	return w
}

// zeroFilled adds the missing keys (dates in layout) between the first and
// the last, stepping by years or months.
func zeroFilled(m map[string]int, layout string, years, months int) map[string]int {
	keys := slices.Sorted(maps.Keys(m))
	if len(keys) == 0 {
		return m
	}
	first, err1 := time.Parse(layout, keys[0])
	last, err2 := time.Parse(layout, keys[len(keys)-1])
	if err1 != nil || err2 != nil {
		return m
	}
	for d := first; !d.After(last); d = d.AddDate(years, months, 0) {
		m[d.Format(layout)] += 0
	}
	return m
}

// compareBuckets compares a facet with the expected counts. Term facets
// (top) show the largest values only; then every shown bucket must have the
// expected count and no larger value may be missing.
func compareBuckets(t *testing.T, name string, got []Bucket, want map[string]int, top bool) {
	t.Helper()
	gotMap := map[string]int{}
	for _, b := range got {
		gotMap[b.Key] = b.Count
	}
	if !top {
		if !maps.Equal(gotMap, want) {
			t.Errorf("%s: got %v\nfiles say %v", name, got, want)
		}
		return
	}
	for _, b := range got {
		if want[b.Key] != b.Count {
			t.Errorf("%s %q: %d, files say %d", name, b.Key, b.Count, want[b.Key])
		}
	}
	if len(got) < min(len(want), topTerms) {
		t.Errorf("%s: %d buckets, want %d", name, len(got), min(len(want), topTerms))
	}
	if len(got) > 0 {
		smallest := got[len(got)-1].Count
		for k, n := range want {
			if _, shown := gotMap[k]; !shown && n > smallest {
				t.Errorf("%s %q (%d articles) missing, yet %q with %d is shown", name, k, n, got[len(got)-1].Key, smallest)
			}
		}
	}
}
