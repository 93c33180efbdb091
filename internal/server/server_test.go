package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"kho/index"
)

// pagesFunc lets a test mount its own routes through the Pages hook.
type pagesFunc func(chi.Router)

func (f pagesFunc) Routes(r chi.Router) { f(r) }

// syncBuffer collects log output written from handler goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logLines decodes the JSON log lines written so far.
func (s *syncBuffer) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

func memIndex(t testing.TB) *index.Index {
	t.Helper()
	ix, err := index.NewMem(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// newTestServer builds the production router on an in-memory index, with
// logs captured as JSON.
func newTestServer(t *testing.T, cfg Config) (*Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Index == nil {
		cfg.Index = memIndex(t)
	}
	cfg.Log = slog.New(slog.NewJSONHandler(logs, nil))
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

func do(t *testing.T, h http.Handler, method, target string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// errorOf decodes an API error body, failing when the body is not one.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) (code, message string) {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code == "" {
		t.Fatalf("status %d: body is not a JSON error: %q", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	return body.Error.Code, body.Error.Message
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s, _ := newTestServer(t, Config{Pages: pagesFunc(func(r chi.Router) {
		r.Get("/page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			w.Write([]byte("<p>page</p>"))
		})
	})})
	tests := []struct {
		method, target string
		status         int
		csp            string
	}{
		{"GET", "/healthz", 200, "default-src 'none'"},
		{"GET", "/api/search?q=x", 200, "default-src 'none'"},
		{"GET", "/api/search?size=0", 400, "default-src 'none'"},
		{"GET", "/api/nothing", 404, "default-src 'none'"},
		{"GET", "/nothing", 404, "default-src 'none'"},
		{"GET", "/metrics", 200, "default-src 'none'"},
		{"PUT", "/api/search", 405, "default-src 'none'"},
		{"GET", "/page", 200, "default-src 'self'"},
	}
	for _, tc := range tests {
		rec := do(t, s, tc.method, tc.target, nil)
		if rec.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.target, rec.Code, tc.status)
		}
		h := rec.Header()
		for _, want := range [][2]string{
			{"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "DENY"}, {"Referrer-Policy", "same-origin"},
		} {
			if got := h.Get(want[0]); got != want[1] {
				t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.target, want[0], got, want[1])
			}
		}
		if got := h.Get("Content-Security-Policy"); !strings.HasPrefix(got, tc.csp) {
			t.Errorf("%s %s: CSP %q, want %q…", tc.method, tc.target, got, tc.csp)
		}
		if h.Get(RequestIDHeader) == "" {
			t.Errorf("%s %s: no %s", tc.method, tc.target, RequestIDHeader)
		}
	}
}

func TestRequestIDs(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	a := do(t, s, "GET", "/healthz", nil).Header().Get(RequestIDHeader)
	b := do(t, s, "GET", "/healthz", nil).Header().Get(RequestIDHeader)
	if a == "" || a == b {
		t.Errorf("request ids %q and %q should be set and differ", a, b)
	}
	for _, tc := range []struct {
		sent string
		kept bool
	}{
		{"proxy-42.abc", true},
		{"has spaces", false},
		{strings.Repeat("x", 65), false},
		{"line\nbreak", false},
	} {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.Header[RequestIDHeader] = []string{tc.sent}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if got := rec.Header().Get(RequestIDHeader); (got == tc.sent) != tc.kept || got == "" {
			t.Errorf("sent id %q, got %q; kept = %v, want %v", tc.sent, got, got == tc.sent, tc.kept)
		}
	}
	lines := logs.logLines(t)
	if len(lines) == 0 || lines[0]["request_id"] != a {
		t.Errorf("first log line %v should carry request id %q", lines[0], a)
	}
}

func TestRequestLog(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	do(t, s, "GET", "/api/articles/nope:1", nil)
	lines := logs.logLines(t)
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1: %v", len(lines), lines)
	}
	l := lines[0]
	for k, want := range map[string]any{
		"msg": "request", "method": "GET", "path": "/api/articles/nope:1",
		"route": "/api/articles/{id}", "status": float64(404), "level": "INFO",
	} {
		if l[k] != want {
			t.Errorf("log %s = %v, want %v", k, l[k], want)
		}
	}
	if ms, ok := l["ms"].(float64); !ok || ms < 0 {
		t.Errorf("log ms = %v, want a latency", l["ms"])
	}
}

func TestPanicBecomesJSON500(t *testing.T) {
	s, logs := newTestServer(t, Config{Pages: pagesFunc(func(r chi.Router) {
		r.Get("/boom", func(http.ResponseWriter, *http.Request) { panic("something broke") })
	})})
	rec := do(t, s, "GET", "/boom", nil)
	if rec.Code != 500 {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	id := rec.Header().Get(RequestIDHeader)
	code, msg := errorOf(t, rec)
	if code != "internal" || !strings.Contains(msg, id) || strings.Contains(rec.Body.String(), "something broke") {
		t.Errorf("body %s: want code internal, the request id %q and no panic text", rec.Body, id)
	}
	var panicLine, requestLine map[string]any
	for _, l := range logs.logLines(t) {
		switch l["msg"] {
		case "panic serving request":
			panicLine = l
		case "request":
			requestLine = l
		}
	}
	if panicLine == nil || panicLine["request_id"] != id || panicLine["panic"] != "something broke" ||
		!strings.Contains(panicLine["stack"].(string), "server_test.go") {
		t.Errorf("panic log line %v should name request id %q, the panic and the stack", panicLine, id)
	}
	if requestLine == nil || requestLine["status"] != float64(500) || requestLine["level"] != "ERROR" {
		t.Errorf("request log line %v should record status 500 as an error", requestLine)
	}
	// The server still answers afterwards.
	if rec := do(t, s, "GET", "/healthz", nil); rec.Code != 200 {
		t.Errorf("after a panic: healthz %d", rec.Code)
	}
}

func TestBodyLimit(t *testing.T) {
	s, _ := newTestServer(t, Config{MaxBody: 1000})
	draft := `{"title": "Dân vận", "text": "` + strings.Repeat("a", 2000) + `"}`
	// With a Content-Length the limit applies before the handler runs;
	// without one (chunked), when the handler reads past it.
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(draft)
		if chunked {
			body = io.MultiReader(body) // hides the length from httptest
		}
		rec := do(t, s, "POST", "/api/related", body)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked=%v: status %d, want 413: %s", chunked, rec.Code, rec.Body)
			continue
		}
		if code, msg := errorOf(t, rec); code != "body_too_large" || !strings.Contains(msg, "1000") {
			t.Errorf("chunked=%v: error %s %q should name the limit", chunked, code, msg)
		}
	}
	if rec := do(t, s, "POST", "/api/related", strings.NewReader(`{"title": "Dân vận"}`)); rec.Code != 200 {
		t.Errorf("small body: status %d: %s", rec.Code, rec.Body)
	}
}

func TestNotFoundIsJSON(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, target := range []string{"/", "/a/b/c", "/api/", "/api/articles/"} {
		rec := do(t, s, "GET", target, nil)
		if rec.Code != 404 {
			t.Errorf("GET %s: status %d, want 404", target, rec.Code)
			continue
		}
		errorOf(t, rec)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("New without an index should fail")
	}
	if _, err := New(Config{Index: memIndex(t), MaxBody: -1}); err == nil {
		t.Error("New with a negative body limit should fail")
	}
}
