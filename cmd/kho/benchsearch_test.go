package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kho/index"
	"kho/internal/request"
)

// TestBenchSearch runs the benchmark end to end on the sample archive.
func TestBenchSearch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if out, err := runKho(t, "ingest", "--index", dir, "../../testdata/archive/jsonl"); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	out, err := runKho(t, "bench-search", "--index", dir, "--queries", "200", "--concurrency", "1,4", "../../testdata/archive/jsonl")
	if err != nil {
		t.Fatalf("bench-search: %v\n%s", err, out)
	}
	for _, want := range []string{"200 queries sampled", "concurrency 1: 200 searches", "concurrency 4: 200 searches",
		"empty query with facets", "p99", kindFiltered, kindSorted} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestQueryMix: the mix is the same for the same seed, every query is valid
// for the API, and every kind of query occurs.
func TestQueryMix(t *testing.T) {
	ctx := context.Background()
	arts, err := readArticles(ctx, []string{"../../testdata/archive/jsonl"}, hcm(t))
	if err != nil {
		t.Fatal(err)
	}
	a, b := newQueryMix(arts, 7).sample(500), newQueryMix(arts, 7).sample(500)
	kinds := map[string]int{}
	for i := range a {
		if a[i].params.Encode() != b[i].params.Encode() {
			t.Fatalf("query %d differs between two runs with one seed: %s, %s", i, a[i].params.Encode(), b[i].params.Encode())
		}
		if _, err := request.ParseSearch(a[i].params, hcm(t)); err != nil {
			t.Errorf("query %s: %v", a[i].params.Encode(), err)
		}
		kinds[a[i].kind]++
	}
	for _, k := range queryKinds {
		if kinds[k] == 0 {
			t.Errorf("no %q queries in 500: %v", k, kinds)
		}
	}
	if c := newQueryMix(arts, 8).sample(500); slices.EqualFunc(a, c, func(x, y mixQuery) bool { return x.params.Encode() == y.params.Encode() }) {
		t.Error("seeds 7 and 8 give the same queries")
	}
}

func TestParseLevels(t *testing.T) {
	if got, err := parseLevels("1, 16"); err != nil || !slices.Equal(got, []int{1, 16}) {
		t.Errorf("parseLevels(\"1, 16\") = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "x", "1,,2"} {
		if _, err := parseLevels(bad); err == nil {
			t.Errorf("parseLevels(%q) accepted", bad)
		}
	}
}

func hcm(t *testing.T) *time.Location {
	loc, err := time.LoadLocation(index.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
