package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"kho/index"
	"kho/internal/server"
	"kho/internal/web"
)

// The hostile-input catalogue: testdata/hostile (see its README) plus
// inputs too large to commit, made here. Each has its expected outcome.

const hostileDir = "../../testdata/hostile"

// writeHugeLine writes a JSON Lines file whose second line is one record of
// over 100 MB between two good records.
func writeHugeLine(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "huge_line.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"id": "truoc", "source": "hostile.test", "title": "Tin trước dòng khổng lồ"}` + "\n")
	w.WriteString(`{"id": "khonglo", "source": "hostile.test", "title": "Dòng khổng lồ", "body": "`)
	chunk := strings.Repeat("chữ ", 1<<18) // 1.25 MB
	for written := 0; written < 100<<20; written += len(chunk) {
		w.WriteString(chunk)
	}
	w.WriteString("\"}\n")
	w.WriteString(`{"id": "sau", "source": "hostile.test", "title": "Tin sau dòng khổng lồ"}` + "\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

type reportLine struct {
	Line    int
	Outcome string
	Reason  string
}

func TestHostileFilesIngest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		articles int
		skipped  []string // reasons, by prefix, in report order
		repaired int
	}{
		{"truncated.jsonl.gz", 16, []string{"truncated or corrupt"}, 0},
		{"junk.bin", 0, []string{"binary"}, 0},
		{"nested.json", 0, []string{"invalid JSON"}, 0},
		{"nested_field.jsonl", 2, []string{"invalid JSON"}, 0},
		{"invalid_utf8.jsonl", 3, nil, 3},
		{"nul.jsonl", 2, []string{"invalid JSON"}, 0},
		{"empty.jsonl", 0, nil, 0},
		{"huge_line.jsonl", 2, []string{"line over 16 MB"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(hostileDir, tc.file)
			if tc.file == "huge_line.jsonl" {
				path = writeHugeLine(t)
			}
			dir := filepath.Join(t.TempDir(), "ix")
			report := filepath.Join(t.TempDir(), "report.jsonl")
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"ingest", "--index", dir, "--report", report, path}, nil, &out, &errOut)
			if err != nil {
				t.Fatalf("ingest: %v\n%s", err, errOut.String())
			}
			var skipped []string
			repaired := 0
			b, _ := os.ReadFile(report)
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				var r reportLine
				if line == "" || json.Unmarshal([]byte(line), &r) != nil {
					continue
				}
				switch r.Outcome {
				case "skipped":
					skipped = append(skipped, r.Reason)
				case "repaired":
					repaired++
				}
			}
			if len(skipped) != len(tc.skipped) {
				t.Errorf("skipped %q, want reasons %q", skipped, tc.skipped)
			}
			for i := range min(len(skipped), len(tc.skipped)) {
				if !strings.HasPrefix(skipped[i], tc.skipped[i]) {
					t.Errorf("skip %d: reason %q, want %q…", i, skipped[i], tc.skipped[i])
				}
			}
			if repaired != tc.repaired {
				t.Errorf("repaired %d, want %d", repaired, tc.repaired)
			}
			checkStoredText(t, dir, tc.articles)
		})
	}
}

// checkStoredText opens an index and checks it holds n articles whose text
// is valid UTF-8 without NUL bytes.
func checkStoredText(t *testing.T, dir string, n int) {
	t.Helper()
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatalf("the index does not open: %v", err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), index.SearchRequest{Page: 1, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Total) != n {
		t.Errorf("index holds %d articles, want %d", res.Total, n)
	}
	for _, h := range res.Hits {
		a, err := ix.Article(context.Background(), h.ID)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(append([]string{a.ID, a.Title, a.Summary, a.Body, a.Source}, a.Captions...), "\n")
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			t.Errorf("article %s has invalid UTF-8 or NUL bytes: %q", h.ID, text)
		}
	}
}

// hostileServer is the production router (API and pages) on an index with
// one article, writes allowed.
func hostileServer(t *testing.T) (*server.Server, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ix")
	in := strings.NewReader(`{"id": "1", "source": "hostile.test", "title": "Tin thật"}`)
	if err := run(context.Background(), []string{"ingest", "--index", dir, "-"}, in, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	const token = "hostile-token-0123456789"
	s, err := server.New(server.Config{Index: ix, WriteToken: token, Pages: web.New(ix, nil)})
	if err != nil {
		t.Fatal(err)
	}
	return s, token
}

func TestHostileBodies(t *testing.T) {
	t.Parallel()
	s, token := hostileServer(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	tests := []struct {
		file   string
		status int
		added  int
	}{
		{"truncated.jsonl.gz", 400, 0}, // gzip is not JSON: bodies are not gunzipped
		{"junk.bin", 400, 0},
		{"nested.json", 422, 0},
		{"nested_field.jsonl", 200, 2},
		{"invalid_utf8.jsonl", 200, 3},
		{"nul.jsonl", 200, 2},
		{"empty.jsonl", 400, 0},
		{"huge_line.jsonl", 413, 0},
	}
	for _, tc := range tests {
		path := filepath.Join(hostileDir, tc.file)
		if tc.file == "huge_line.jsonl" {
			path = writeHugeLine(t)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", srv.URL+"/api/articles", f)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		var res struct {
			Added int
			Error *struct{ Code string }
		}
		json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if resp.StatusCode != tc.status || res.Added != tc.added || (tc.status >= 400) != (res.Error != nil) {
			t.Errorf("POST %s: status %d, added %d, error %v; want %d, %d", tc.file, resp.StatusCode, res.Added, res.Error, tc.status, tc.added)
		}
	}
}

// rawStatus sends one request line exactly as written, which Go's client
// would clean or refuse, and returns the status and body.
func rawStatus(t *testing.T, addr, method, target string, header ...string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: kho\r\nConnection: close\r\n%s\r\n", method, target, strings.Join(header, ""))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHostileRequests(t *testing.T) {
	t.Parallel()
	s, token := hostileServer(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	auth := "Authorization: Bearer " + token + "\r\n"
	longQuery := strings.TrimSpace(strings.Repeat("tin ", 10000))
	manyTerms := strings.TrimSpace(strings.Repeat("a ", 65))
	tests := []struct {
		method, target string
		header         []string
		status         int
		mention        string // in the body
	}{
		{"GET", "/api/search?q=" + strings.ReplaceAll(longQuery, " ", "+"), nil, 400, "q:"},
		{"GET", "/api/search?q=" + strings.ReplaceAll(manyTerms, " ", "+"), nil, 400, "q:"},
		{"GET", "/api/search?q=%00", nil, 200, `"total"`},
		{"GET", "/api/search?q=tin&q=tin", nil, 400, "q:"},
		{"GET", "/api/search?size=101", nil, 400, "size"},
		{"GET", "/api/search?page=1001", nil, 400, "page"},
		{"GET", "/api/search?bogus=1", nil, 400, "bogus"},
		{"GET", "/api/search?q=%ff%fe", nil, 200, `"total"`},
		{"GET", "/api/articles/%00", nil, 404, "not_found"},
		{"GET", "/api/articles/hostile.test:1%00", nil, 404, "not_found"},
		{"GET", "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd", nil, 404, "not_found"},
		{"GET", "/api/articles/../../../etc/passwd", nil, 404, "not_found"},
		{"GET", "/api/articles/%2e%2e/%2e%2e/go.mod", nil, 404, "not_found"},
		{"GET", "/api/articles/%ZZ", nil, 400, ""},
		{"GET", "/api/articles/" + strings.Repeat("x", 8000), nil, 404, "not_found"},
		{"GET", "/api/articles/%00/related", nil, 404, "not_found"},
		{"DELETE", "/api/articles/%00", []string{auth}, 404, "not_found"},
		{"DELETE", "/api/articles/..%2F..%2Fgo.mod", []string{auth}, 404, "not_found"},
		{"GET", "/a/%00", nil, 404, ""},
		{"GET", "/a/..%2F..%2F..%2Fgo.mod", nil, 404, ""},
		{"GET", "/static/../../go.mod", nil, 404, ""},
		{"GET", "/static/..%2F..%2Fgo.mod", nil, 404, ""},
		{"GET", "/static/%2e%2e/%2e%2e/go.mod", nil, 404, ""},
		{"GET", "/api/articles/hostile.test:1", nil, 200, "Tin thật"},
	}
	for _, tc := range tests {
		status, body := rawStatus(t, addr, tc.method, tc.target, tc.header...)
		name := tc.method + " " + tc.target
		if len(name) > 80 {
			name = name[:80] + "…"
		}
		if status != tc.status || !strings.Contains(body, tc.mention) {
			t.Errorf("%s: status %d, want %d mentioning %q: %.200s", name, status, tc.status, tc.mention, body)
		}
		if strings.Contains(body, "module kho") || strings.Contains(body, "root:") {
			t.Errorf("%s: leaks a file: %.200s", name, body)
		}
	}
	// The one real article survived the hostile DELETEs.
	if status, _ := rawStatus(t, addr, "GET", "/api/articles/hostile.test:1"); status != 200 {
		t.Errorf("the article is gone: %d", status)
	}
}
