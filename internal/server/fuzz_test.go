package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzServer sends arbitrary requests through the production router: the
// server never answers 5xx, always answers JSON, and always sets the
// security headers.
func FuzzServer(f *testing.F) {
	f.Add(uint8(0), "/api/search?q=d%C3%A2n+v%E1%BA%ADn&from=2024&size=5", []byte(nil))
	f.Add(uint8(1), "/api/articles", []byte(`{"source": "kho.test", "id": "1", "title": "Tin"}`))
	f.Add(uint8(1), "/api/articles?source=x", []byte("[{\"title\": \"a\"}, {bad\n"))
	f.Add(uint8(2), "/api/articles/kho.test:1", []byte(nil))
	f.Add(uint8(1), "/api/related?size=3", []byte(`{"title": "Tin", "text": "x"}`))
	f.Add(uint8(0), "/api/articles/%00/related?size=1000", []byte(nil))
	f.Add(uint8(0), "/api/analyze?text=%E1%BB%9D", []byte(nil))
	ix := memIndex(f)
	s, err := New(Config{Index: ix, WriteToken: testToken, MaxBody: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	methods := []string{"GET", "POST", "DELETE", "PUT", "HEAD"}
	f.Fuzz(func(t *testing.T, m uint8, target string, body []byte) {
		u, err := url.ParseRequestURI(target)
		if err != nil || len(target) == 0 || target[0] != '/' {
			return // net/http answers 400 before any handler
		}
		req := &http.Request{Method: methods[int(m)%len(methods)], URL: u, RequestURI: target,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Host: "kho",
			Header: http.Header{"Authorization": {"Bearer " + testToken}},
			Body:   http.NoBody, ContentLength: int64(len(body))}
		if len(body) > 0 {
			req.Body = httpBody(body)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: status %d: %s", req.Method, target, rec.Code, rec.Body)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Fatalf("%s %s: security headers missing", req.Method, target)
		}
		if req.Method != "HEAD" && u.Path != "/metrics" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: status %d, body is not JSON: %q", req.Method, target, rec.Code, rec.Body)
		}
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func httpBody(b []byte) readCloser { return readCloser{bytes.NewReader(b)} }
