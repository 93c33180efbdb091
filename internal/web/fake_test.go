package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"kho/index"
	"kho/internal/article"
)

// fakeEngine answers from function fields; a nil field answers with nothing.
type fakeEngine struct {
	search  func(index.SearchRequest) (*index.SearchResult, error)
	article func(id string) (*article.Article, error)
	related func(index.RelatedRequest) ([]index.Hit, error)
}

func (f *fakeEngine) Search(_ context.Context, req index.SearchRequest) (*index.SearchResult, error) {
	if f.search == nil {
		return &index.SearchResult{}, nil
	}
	return f.search(req)
}

func (f *fakeEngine) Article(_ context.Context, id string) (*article.Article, error) {
	if f.article == nil {
		return nil, index.ErrNotFound
	}
	return f.article(id)
}

func (f *fakeEngine) Related(_ context.Context, req index.RelatedRequest) ([]index.Hit, error) {
	if f.related == nil {
		return nil, nil
	}
	return f.related(req)
}

func (f *fakeEngine) Location() *time.Location { return saigon }

var saigon = func() *time.Location {
	loc, err := time.LoadLocation(index.DefaultTimeZone)
	if err != nil {
		panic(err)
	}
	return loc
}()

// response is what a page request returned.
type response struct {
	status int
	header http.Header
	body   string
}

// get requests target from the pages of an engine, mounted on a chi router
// as kho serve does.
func get(t *testing.T, e Engine, target string) response {
	t.Helper()
	return getFrom(router(e), target)
}

func router(e Engine) http.Handler {
	r := chi.NewRouter()
	New(e, nil).Routes(r)
	return r
}

func getFrom(h http.Handler, target string) response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return response{rec.Code, rec.Result().Header, string(body)}
}

var hrefAttr = regexp.MustCompile(`href="([^"]*)"`)

// hasLink tells whether the page links to href.
func (r response) hasLink(href string) bool {
	for _, m := range hrefAttr.FindAllStringSubmatch(r.body, -1) {
		if html.UnescapeString(m[1]) == href {
			return true
		}
	}
	return false
}

// result is a search result with two hits and all facets, for page tests.
func result() *index.SearchResult {
	return &index.SearchResult{
		Total: 12, Took: 3 * time.Millisecond,
		Hits: []index.Hit{{
			ID: "kinhtedothi.vn:123", Title: "Dân vận khéo ở Hà Nội",
			TitleHTML: "<mark>Dân vận</mark> khéo ở Hà Nội", Source: "kinhtedothi.vn", Category: "Thời sự",
			Published: time.Date(2024, 6, 26, 0, 0, 0, 0, saigon),
			Snippet:   "…phong trào <mark>dân vận</mark> khéo &amp; hiệu quả…",
		}, {
			ID: "tuoitre.vn:9", Title: "Không ngày tháng", TitleHTML: "Không ngày tháng",
			Source: "tuoitre.vn", AlsoIn: []string{"baomoi.com", "vov.vn"},
		}},
		Facets: index.Facets{
			Years:      []index.Bucket{bucket("2022", 2), bucket("2023", 0), bucket("2024", 10)},
			Categories: []index.Bucket{bucket("Thời sự", 7), bucket("Kinh tế", 5)},
			Sources:    []index.Bucket{bucket("kinhtedothi.vn", 9), bucket("tuoitre.vn", 3)},
		},
	}
}

// context_deadline is an engine error caused by a deadline.
func context_deadline() error { return fmt.Errorf("search: %w", context.DeadlineExceeded) }

func urlEscape(s string) string     { return url.QueryEscape(s) }
func urlPathEscape(s string) string { return url.PathEscape(s) }

func bucket(key string, n int) index.Bucket { return index.Bucket{Key: key, Count: n} }
