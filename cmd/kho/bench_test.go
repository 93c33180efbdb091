package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kho bench end to end on the sample archive: both engines ingest it in
// their own processes, serve it, answer the same queries, and the report
// compares them. Run as a real process: the benchmark starts kho again
// for each engine.
func TestBenchComparesBothEngines(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four processes")
	}
	dir := t.TempDir()
	result := filepath.Join(dir, "result.json")
	stdout, stderr, code := runProcess(t, nil, "bench", "--dir", filepath.Join(dir, "b"), "--queries", "20",
		"--rounds", "1", "--min-load", "1s", "--json", result, "../../testdata/archive/jsonl", "../../testdata/archive/json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"| ingest, articles/s (wall) |", "| search c=16 p99 |", "| server RSS after the queries |",
		"| empty |", "Matches: kho finds", "Floors of issue 7"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Articles int
		Kho      struct {
			IndexBytes int64
			ServeRSS   int64
			Runs       []struct{ Samples []struct{ Total int } }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Articles < 20 || r.Kho.IndexBytes == 0 || r.Kho.ServeRSS == 0 || len(r.Kho.Runs) != 2 {
		t.Errorf("result: %d articles, index %d bytes, RSS %d, %d runs", r.Articles, r.Kho.IndexBytes, r.Kho.ServeRSS, len(r.Kho.Runs))
	}
	if len(r.Kho.Runs) == 2 && len(r.Kho.Runs[0].Samples) != 20 {
		t.Errorf("%d queries at concurrency 1, want 20", len(r.Kho.Runs[0].Samples))
	}
	// One pass over 20 queries of a small archive takes far less than
	// --min-load: more passes are sent.
	if len(r.Kho.Runs) == 2 && len(r.Kho.Runs[1].Samples) <= 20 {
		t.Errorf("%d queries at concurrency 16, want more passes than --rounds 1 to fill --min-load 1s", len(r.Kho.Runs[1].Samples))
	}

	// --reuse queries the same indexes again without ingesting.
	stdout, stderr, code = runProcess(t, nil, "bench", "--dir", filepath.Join(dir, "b"), "--reuse", "--queries", "5",
		"--rounds", "1", "--min-load", "0", "../../testdata/archive/jsonl", "../../testdata/archive/json")
	if code != 0 || !strings.Contains(stdout, "| search c=1 p50 |") || strings.Contains(stderr, "ingest …") {
		t.Errorf("--reuse: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// A path with no article is an error, not a table of zeros.
	missing := filepath.Join(dir, "missing.jsonl")
	stdout, stderr, code = runProcess(t, nil, "bench", "--dir", filepath.Join(dir, "c"), missing)
	if code == 0 || !strings.Contains(stderr, "no article in") || !strings.Contains(stderr, "missing.jsonl") ||
		strings.Contains(stdout, "| ingest") {
		t.Errorf("bench of a missing file: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
