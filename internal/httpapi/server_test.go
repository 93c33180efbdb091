package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"kho/index"
	"kho/internal/article"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fakeEngine is built from function fields, so each test says only what it needs.
type fakeEngine struct {
	search  func(index.SearchRequest) (*index.SearchResult, error)
	article func(id string) (*article.Article, error)
	related func(index.RelatedRequest) ([]index.Hit, error)
}

var hanoi, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

func (f fakeEngine) Search(_ context.Context, r index.SearchRequest) (*index.SearchResult, error) {
	return f.search(r)
}
func (f fakeEngine) Article(_ context.Context, id string) (*article.Article, error) {
	return f.article(id)
}
func (f fakeEngine) Related(_ context.Context, r index.RelatedRequest) ([]index.Hit, error) {
	return f.related(r)
}
func (fakeEngine) Location() *time.Location { return hanoi }

var sampleHit = index.Hit{
	ID: "kinhtedothi.vn:123", Title: "Dân vận khéo", TitleHTML: "<mark>Dân vận khéo</mark>",
	URL: "https://kinhtedothi.vn/123", Source: "kinhtedothi.vn", Category: "Thời sự",
	Published: time.Date(2024, 6, 26, 0, 0, 0, 0, hanoi), Score: 7.125,
	Snippet: "Hội thi “<mark>Dân vận khéo</mark>” năm 2024",
}

func serve(t *testing.T, e fakeEngine, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := chi.NewRouter()
	New(e, nil).Routes(r)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(method, target, strings.NewReader(body)))
	return rec
}

// golden compares a response with testdata/NAME.json (rewritten with -update).
func golden(t *testing.T, name string, rec *httptest.ResponseRecorder) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
		t.Fatalf("%s: response is not JSON: %v\n%s", name, err, rec.Body)
	}
	got := fmt.Sprintf("status %d\n%s", rec.Code, pretty.String())
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s: got\n%s\nwant\n%s", name, got, want)
	}
}

func TestSearchAPI(t *testing.T) {
	var got index.SearchRequest
	e := fakeEngine{search: func(r index.SearchRequest) (*index.SearchResult, error) {
		got = r
		return &index.SearchResult{
			Total: 12, Took: 3100 * time.Microsecond, Suggestion: "dân vận khéo",
			Hits: []index.Hit{sampleHit},
			Facets: index.Facets{
				Years:      []index.Bucket{{Key: "2023", Count: 4}, {Key: "2024", Count: 8}},
				Categories: []index.Bucket{{Key: "Thời sự", Count: 5}},
				Sources:    []index.Bucket{{Key: "kinhtedothi.vn", Count: 12}},
			},
		}, nil
	}}
	rec := serve(t, e, "GET", "/api/search?q=dan+van+kheo&from=2023&source=kinhtedothi.vn&size=5", "")
	golden(t, "search", rec)
	if got.Size != 5 || got.Page != 1 || len(got.Sources) != 1 || got.From.Year() != 2023 {
		t.Errorf("engine got %+v", got)
	}
}

func TestErrors(t *testing.T) {
	e := fakeEngine{
		search: func(index.SearchRequest) (*index.SearchResult, error) {
			return nil, errors.New("bleve: secret internals")
		},
		article: func(id string) (*article.Article, error) {
			return nil, fmt.Errorf("article %q: %w", id, index.ErrNotFound)
		},
	}
	tests := []struct {
		name, method, target string
		status               int
		mention              string
	}{
		{"bad size", "GET", "/api/search?size=500", 400, "size"},
		{"bad sort", "GET", "/api/search?sort=best", 400, "sort"},
		{"unclosed quote", "GET", "/api/search?q=%22dan+van", 400, "q"},
		{"from after to", "GET", "/api/search?from=2024&to=2023", 400, "from"},
		{"unknown article", "GET", "/api/articles/nope:1", 404, "not_found"},
		{"engine failure hides internals", "GET", "/api/search?q=x", 500, "internal"},
		{"related bad size", "GET", "/api/articles/a:1/related?size=0", 400, "size"},
		{"draft not JSON", "POST", "/api/related", 400, "body"},
		{"unknown endpoint", "GET", "/api/nothing", 404, "not_found"},
		{"unknown article parameter", "GET", "/api/articles/a:1?full=1", 400, `"full"`},
		{"unknown related parameter", "GET", "/api/articles/a:1/related?sise=3", 400, `"sise"`},
		{"repeated related parameter", "GET", "/api/articles/a:1/related?size=3&size=4", 400, "size: given 2 times"},
		{"unknown draft parameter", "POST", "/api/related?window=3&x=1", 400, `"x"`},
		{"unknown analyze parameter", "GET", "/api/analyze?txt=a", 400, `"txt"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, e, tc.method, tc.target, "{")
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			var body errorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body is not {\"error\": …}: %s", rec.Body)
			}
			if !strings.Contains(body.Error.Message+" "+body.Error.Code, tc.mention) {
				t.Errorf("error %+v should mention %q", body.Error, tc.mention)
			}
			if strings.Contains(rec.Body.String(), "bleve") {
				t.Errorf("response leaks engine text: %s", rec.Body)
			}
		})
	}
}

func TestArticleAndRelated(t *testing.T) {
	e := fakeEngine{
		article: func(id string) (*article.Article, error) {
			return &article.Article{ID: id, Title: "Dân vận khéo", Body: "Ngày 26/6 …", Source: "kinhtedothi.vn",
				Published: time.Date(2024, 6, 26, 0, 0, 0, 0, hanoi), PublishedFrom: article.FromText}, nil
		},
		related: func(r index.RelatedRequest) ([]index.Hit, error) {
			if r.Size != 3 || r.WindowDays != 30 {
				return nil, fmt.Errorf("unexpected request %+v", r)
			}
			h := sampleHit
			h.AlsoIn = []string{"baomoi.com"}
			return []index.Hit{h}, nil
		},
	}
	golden(t, "article", serve(t, e, "GET", "/api/articles/kinhtedothi.vn:123", ""))
	golden(t, "related", serve(t, e, "GET", "/api/articles/kinhtedothi.vn:123/related?size=3&window=30", ""))
	golden(t, "related_draft", serve(t, e, "POST", "/api/related?size=3&window=30", `{"title":"Dân vận","text":"hội thi"}`))
}

func TestAnalyzeAPI(t *testing.T) {
	rec := serve(t, fakeEngine{}, "GET", "/api/analyze?text="+strings.ReplaceAll("Đường hoà", " ", "+"), "")
	var a index.Analysis
	if err := json.NewDecoder(io.Reader(rec.Body)).Decode(&a); err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.FoldedTerms, " ") != "duong hoa" {
		t.Errorf("folded terms %q", a.FoldedTerms)
	}
}
