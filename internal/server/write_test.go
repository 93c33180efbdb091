package server

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"kho/internal/httpapi"
)

const testToken = "test-token-0123456789abcdef"

var bearer = []string{"Authorization", "Bearer " + testToken}

func writableServer(t *testing.T) *Server {
	t.Helper()
	s, _ := newTestServer(t, Config{WriteToken: testToken})
	return s
}

// put posts body and decodes the per-record results.
func put(t *testing.T, s *Server, target, body string) (int, httpapi.PutResult) {
	t.Helper()
	rec := do(t, s, "POST", target, strings.NewReader(body), bearer...)
	var res httpapi.PutResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("POST %s: status %d, body is not JSON: %s", target, rec.Code, rec.Body)
	}
	return rec.Code, res
}

// total is the number of hits of a search through the API.
func total(t *testing.T, s *Server, q string) int {
	t.Helper()
	rec := do(t, s, "GET", "/api/search?q="+strings.ReplaceAll(q, " ", "+"), nil)
	var res struct{ Total int }
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &res) != nil {
		t.Fatalf("search %q: status %d: %s", q, rec.Code, rec.Body)
	}
	return res.Total
}

func TestWritesNeedToken(t *testing.T) {
	readOnly, _ := newTestServer(t, Config{})
	writable := writableServer(t)
	body := `{"source": "kho.test", "id": "1", "title": "Hội thi dân vận khéo"}`
	tests := []struct {
		name   string
		s      *Server
		method string
		target string
		auth   []string
		status int
		code   string
	}{
		{"no token configured: POST", readOnly, "POST", "/api/articles", bearer, 403, "writes_disabled"},
		{"no token configured: DELETE", readOnly, "DELETE", "/api/articles/kho.test:1", bearer, 403, "writes_disabled"},
		{"missing header", writable, "POST", "/api/articles", nil, 401, "unauthorized"},
		{"wrong token", writable, "POST", "/api/articles", []string{"Authorization", "Bearer " + testToken + "x"}, 401, "unauthorized"},
		{"token prefix", writable, "POST", "/api/articles", []string{"Authorization", "Bearer " + testToken[:10]}, 401, "unauthorized"},
		{"not a bearer", writable, "POST", "/api/articles", []string{"Authorization", "Basic " + testToken}, 401, "unauthorized"},
		{"bare token", writable, "POST", "/api/articles", []string{"Authorization", testToken}, 401, "unauthorized"},
		{"DELETE without token", writable, "DELETE", "/api/articles/kho.test:1", nil, 401, "unauthorized"},
		{"token checked before parameters", writable, "POST", "/api/articles?x=1", nil, 401, "unauthorized"},
		{"DELETE with a parameter", writable, "DELETE", "/api/articles/kho.test:1?force=1", bearer, 400, "unknown_parameter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, tc.s, tc.method, tc.target, strings.NewReader(body), tc.auth...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if code, _ := errorOf(t, rec); code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
			if tc.status == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if n := total(t, writable, "dân vận"); n != 0 {
		t.Errorf("refused writes stored %d articles", n)
	}
	if code, _ := put(t, writable, "/api/articles", body); code != 200 {
		t.Errorf("with the token: status %d", code)
	}
}

func TestPutArticlesReportsEachRecord(t *testing.T) {
	s := writableServer(t)
	object := `{"source": "kho.test", "id": "1", "title": "Hội thi dân vận khéo", "body": "Ngày hội ở phường."}`
	array := `[
  {"source": "kho.test", "id": "2", "title": "Chợ đêm mở cửa", "body": "Chợ đêm phố cổ."},
  {"source": "kho.test", "id": "3", "title": "", "body": ""},
  {"url": "https://www.baomoi.test/tin/4.html", "title": "Làng nghề nón lá"}
]`
	ndjson := "{\"source\": \"kho.test\", \"id\": \"5\", \"title\": \"Thư viện số\"}\n" +
		"{not json}\n" +
		"\n" +
		"{\"source\": \"kho.test\", \"id\": \"1\", \"title\": \"Hội thi dân vận khéo\", \"body\": \"Ngày hội ở phường.\"}\n" +
		"{\"source\": \"kho.test\", \"id\": \"2\", \"title\": \"Chợ đêm mở cửa lại\", \"body\": \"Chợ đêm phố cổ.\"}\n"
	type rec struct {
		line         int
		id, result   string
		reasonPrefix string
	}
	tests := []struct {
		name   string
		body   string
		status int
		want   []rec
	}{
		{"one object", object, 200, []rec{{1, "kho.test:1", "added", ""}}},
		{"array", array, 200, []rec{
			{2, "kho.test:2", "added", ""},
			{3, "kho.test:3", "skipped", "no title and no body"},
			{4, "baomoi.test:u", "added", ""},
		}},
		{"NDJSON, with an unchanged and an updated record", ndjson, 200, []rec{
			{1, "kho.test:5", "added", ""},
			{2, "", "skipped", "invalid JSON"},
			{4, "kho.test:1", "unchanged", ""},
			{5, "kho.test:2", "updated", ""},
		}},
		{"nothing storable", `{"source": "kho.test", "id": "9"}`, 422, []rec{{1, "kho.test:9", "skipped", "no title"}}},
		{"truncated array", `[{"source": "kho.test", "id": "6", "title": "Phường xanh"}, {"id": "7", "ti`, 200, []rec{
			{1, "kho.test:6", "added", ""},
			{1, "", "skipped", "invalid JSON"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, res := put(t, s, "/api/articles", tc.body)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if len(res.Records) != len(tc.want) {
				t.Fatalf("records %+v, want %d", res.Records, len(tc.want))
			}
			counts := map[string]int{}
			for i, w := range tc.want {
				g := res.Records[i]
				counts[g.Result]++
				if g.Line != w.line || !strings.HasPrefix(g.ID, w.id) || g.Result != w.result ||
					!strings.HasPrefix(g.Reason, w.reasonPrefix) || (w.reasonPrefix == "") != (g.Reason == "") {
					t.Errorf("record %d = %+v, want %+v", i, g, w)
				}
			}
			if res.Added != counts["added"] || res.Updated != counts["updated"] ||
				res.Unchanged != counts["unchanged"] || res.Skipped != counts["skipped"] {
				t.Errorf("totals %d/%d/%d/%d disagree with records %v", res.Added, res.Updated, res.Unchanged, res.Skipped, counts)
			}
		})
	}
	// What was stored is searchable and readable, cleaned as kho ingest does.
	for q, want := range map[string]int{"dan van kheo": 1, "chợ đêm mở cửa lại": 1, "nón lá": 1, "phuong xanh": 1, "thư viện số": 1} {
		if got := total(t, s, q); got != want {
			t.Errorf("search %q: %d hits, want %d", q, got, want)
		}
	}
	metrics := do(t, s, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		`kho_ingest_records_total{result="added"} 5`, `kho_ingest_records_total{result="updated"} 1`,
		`kho_ingest_records_total{result="unchanged"} 1`, `kho_ingest_records_total{result="skipped"} 4`,
		"kho_index_documents 5",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestPutArticlesRejectsBadBodies(t *testing.T) {
	s, _ := newTestServer(t, Config{WriteToken: testToken, MaxBody: 4096})
	big := `[{"source": "kho.test", "id": "1", "title": "` + strings.Repeat("dài ", 2000) + `"}]`
	tests := []struct {
		name, target, body string
		status             int
		code, mention      string
	}{
		{"empty", "/api/articles", "", 400, "bad_body", "no records"},
		{"white space", "/api/articles", " \n\t", 400, "bad_body", "no records"},
		{"HTML", "/api/articles", "<html><body>Tin</body></html>", 400, "bad_body", "not JSON"},
		{"binary", "/api/articles", "\x00\x01\x02\xff", 400, "bad_body", "not JSON"},
		{"over the limit", "/api/articles", big, 413, "body_too_large", "4096"},
		{"unknown parameter", "/api/articles?sourc=x", `{"title": "a"}`, 400, "unknown_parameter", "sourc"},
		{"bad source", "/api/articles?source=a:b", `{"title": "a"}`, 400, "bad_parameter", "source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, s, "POST", tc.target, strings.NewReader(tc.body), bearer...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			code, msg := errorOf(t, rec)
			if code != tc.code || !strings.Contains(msg, tc.mention) {
				t.Errorf("error %s %q, want %s mentioning %q", code, msg, tc.code, tc.mention)
			}
		})
	}
	// A body over the limit sent without a length is cut off while it is
	// read: 413, not a partial write reported as success.
	req := httptest.NewRequest("POST", "/api/articles", strings.NewReader(big))
	req.ContentLength = -1
	req.Header.Set(bearer[0], bearer[1])
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("chunked body over the limit: status %d: %s", rec.Code, rec.Body)
	}
}

func TestPutSourceParameter(t *testing.T) {
	s := writableServer(t)
	_, res := put(t, s, "/api/articles?source=toasoan.test", `{"id": "7", "title": "Tin nội bộ"}`)
	if len(res.Records) != 1 || res.Records[0].ID != "toasoan.test:7" {
		t.Errorf("records %+v, want the key toasoan.test:7", res.Records)
	}
	_, res = put(t, s, "/api/articles", `{"id": "8", "title": "Tin không nguồn"}`)
	if len(res.Records) != 1 || res.Records[0].ID != "api:8" {
		t.Errorf("records %+v, want the key api:8", res.Records)
	}
}

// A search issued right after a write returns sees it: writes are visible
// when POST and DELETE answer, with no refresh delay.
func TestSearchSeesWriteAtOnce(t *testing.T) {
	s := writableServer(t)
	for i := range 30 {
		word := fmt.Sprintf("mãsố%d", i)
		id := fmt.Sprintf("kho.test:%d", i)
		if status, _ := put(t, s, "/api/articles", fmt.Sprintf(`{"source": "kho.test", "id": "%d", "title": "Tin %s"}`, i, word)); status != 200 {
			t.Fatalf("POST %d: status %d", i, status)
		}
		if got := total(t, s, word); got != 1 {
			t.Fatalf("search right after POST %d: %d hits, want 1", i, got)
		}
		if rec := do(t, s, "GET", "/api/articles/"+id, nil); rec.Code != 200 {
			t.Fatalf("GET %s right after POST: %d", id, rec.Code)
		}
		if rec := do(t, s, "DELETE", "/api/articles/"+id, nil, bearer...); rec.Code != 200 {
			t.Fatalf("DELETE %s: %d: %s", id, rec.Code, rec.Body)
		}
		if got := total(t, s, word); got != 0 {
			t.Fatalf("search right after DELETE %d: %d hits, want 0", i, got)
		}
		if rec := do(t, s, "GET", "/api/articles/"+id, nil); rec.Code != 404 {
			t.Fatalf("GET %s right after DELETE: %d", id, rec.Code)
		}
	}
	if rec := do(t, s, "DELETE", "/api/articles/kho.test:0", nil, bearer...); rec.Code != 404 {
		t.Errorf("DELETE of an absent article: %d, want 404", rec.Code)
	}
}

func TestIDsWithSlashes(t *testing.T) {
	s := writableServer(t)
	put(t, s, "/api/articles", `{"source": "kho.test", "id": "2024/06/26", "title": "Tin có gạch chéo"}`)
	if rec := do(t, s, "GET", "/api/articles/kho.test:2024%2F06%2F26", nil); rec.Code != 200 {
		t.Errorf("GET with an escaped slash: %d", rec.Code)
	}
	if rec := do(t, s, "DELETE", "/api/articles/kho.test:2024%2F06%2F26", nil, bearer...); rec.Code != 200 {
		t.Errorf("DELETE with an escaped slash: %d: %s", rec.Code, rec.Body)
	}
}
