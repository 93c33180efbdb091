package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runKho(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func TestIngestAndStats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	report := filepath.Join(t.TempDir(), "report.jsonl")
	out, err := runKho(t, "ingest", "--index", dir, "--report", report, "../../testdata/archive")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	for _, want := range []string{"files        23", "added        76", "skipped      5", "invalid JSON                 3", "repaired     1", "articles/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(report)
	if err != nil || bytes.Count(b, []byte("\n")) != 11 {
		t.Errorf("report has %d lines (%v), want 11", bytes.Count(b, []byte("\n")), err)
	}

	out, err = runKho(t, "stats", "--index", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Articles      int            `json:"articles"`
		Sources       map[string]int `json:"sources"`
		Years         map[string]int `json:"years"`
		DateUnknown   *int           `json:"date_unknown"`
		SizeBytes     int64          `json:"size_bytes"`
		SchemaVersion int            `json:"schema_version"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	if s.Articles != 76 || s.Sources["tinbaomau.vn"] != 8 || s.Years["2024"] == 0 || s.DateUnknown == nil ||
		s.SizeBytes <= 0 || s.SchemaVersion == 0 {
		t.Errorf("stats: %s", out)
	}

	// The same command again changes nothing.
	out, err = runKho(t, "ingest", "--index", dir, "../../testdata/archive")
	if err != nil || !strings.Contains(out, "added        0\n") || !strings.Contains(out, "unchanged    75\n") {
		t.Errorf("re-ingest: %v\n%s", err, out)
	}
}

func TestIngestUsageErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	for _, args := range [][]string{
		{"ingest"},
		{"ingest", "--index", dir},
		{"ingest", "--index", dir, "--format", "xml", "a.xml"},
		{"ingest", "--index", dir, "--tz", "Mars/Olympus", "a.jsonl"},
		{"ingest", "--bogus", "a.jsonl"},
		{"stats", "--index", dir, "extra"},
	} {
		_, err := runKho(t, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("kho %q: err = %v, want a usage error (exit 2)", args, err)
		}
	}
}

func TestIngestIndexNotWritable(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	_, err := runKho(t, "ingest", "--index", filepath.Join(blocker, "idx"), "../../testdata/archive/jsonl")
	var ue usageError
	if err == nil || errors.As(err, &ue) {
		t.Errorf("err = %v, want an error that exits 1", err)
	}
}
