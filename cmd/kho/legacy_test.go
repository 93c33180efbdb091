package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kho ingest converts the legacy test archive and says so in the summary
// and the report; --encoding utf8 turns detection off.
func TestIngestLegacyArchive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	report := filepath.Join(t.TempDir(), "report.jsonl")
	out, err := runKho(t, "ingest", "--index", dir, "--report", report, "../../testdata/legacy")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if !strings.Contains(out, "fields from TCVN3, VNI or VISCII") {
		t.Errorf("summary says nothing of conversions:\n%s", out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"outcome":"converted","reason":"title: converted from tcvn3 (confidence`) {
		t.Errorf("report has no converted title:\n%s", b)
	}
	out, err = runKho(t, "search", "--index", dir, "--json", "tư liệu quý")
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total == 0 {
		t.Errorf("search for text of a TCVN3 page: %v %s", err, out)
	}
	if _, err := runKho(t, "ingest", "--index", dir, "--encoding", "cp1258", "../../testdata/legacy"); err == nil {
		t.Error("--encoding cp1258 accepted")
	}
}

func TestAnalyzeEncoding(t *testing.T) {
	out, err := runKho(t, "analyze", "--json", "Céng hßa X· héi")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Normalized string
		Legacy     struct {
			Encoding  string
			Converted bool
		}
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil || a.Normalized != "Cộng hòa Xã hội" || a.Legacy.Encoding != "tcvn3" || !a.Legacy.Converted {
		t.Errorf("analyze: %v %s", err, out)
	}
	out, err = runKho(t, "analyze", "--json", "--encoding", "utf8", "Céng hßa")
	if err != nil || strings.Contains(out, "legacy") || !strings.Contains(out, `"normalized":"Céng hßa"`) {
		t.Errorf("analyze --encoding utf8: %v %s", err, out)
	}
	out, err = runKho(t, "analyze", "Hà Nội")
	if err != nil || strings.Contains(out, "encoding:") {
		t.Errorf("analyze of Unicode text mentions an encoding: %v %s", err, out)
	}
}
