package httpapi

import (
	"time"

	"kho/index"
	"kho/internal/article"
)

// The JSON shapes of DESIGN.md "HTTP API". They belong to this package so the
// engine's types can change without changing the contract.

type searchResponse struct {
	Query      string     `json:"query"`
	Suggestion string     `json:"suggestion,omitempty"`
	Total      uint64     `json:"total"`
	TookMS     float64    `json:"took_ms"`
	Page       int        `json:"page"`
	Size       int        `json:"size"`
	Hits       []hitJSON  `json:"hits"`
	Facets     facetsJSON `json:"facets"`
}

type hitJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	TitleHTML string   `json:"title_html"`
	URL       string   `json:"url,omitempty"`
	Source    string   `json:"source"`
	Category  string   `json:"category,omitempty"`
	Author    string   `json:"author,omitempty"`
	Published string   `json:"published,omitempty"`
	Score     float64  `json:"score"`
	Snippet   string   `json:"snippet"`
	AlsoIn    []string `json:"also_in,omitempty"`
}

type facetsJSON struct {
	Years      []bucketJSON `json:"years"`
	Months     []bucketJSON `json:"months,omitempty"`
	Categories []bucketJSON `json:"categories"`
	Sources    []bucketJSON `json:"sources"`
}

type bucketJSON struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

type relatedResponse struct {
	Hits []hitJSON `json:"hits"`
}

type errorResponse struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// SearchResponse builds the JSON answer of GET /api/search; `kho search
// --json` prints the same object.
func SearchResponse(text string, req index.SearchRequest, r *index.SearchResult) any {
	return searchResponse{
		Query: text, Suggestion: r.Suggestion, Total: r.Total,
		TookMS: float64(r.Took.Microseconds()) / 1000,
		Page:   req.Page, Size: req.Size,
		Hits: hits(r.Hits),
		Facets: facetsJSON{
			Years: buckets(r.Facets.Years), Months: buckets(r.Facets.Months),
			Categories: buckets(r.Facets.Categories), Sources: buckets(r.Facets.Sources),
		},
	}
}

// RelatedResponse builds the JSON answer of the related-stories endpoints;
// `kho related --json` prints the same object.
func RelatedResponse(hs []index.Hit) any { return relatedResponse{Hits: hits(hs)} }

func hits(hs []index.Hit) []hitJSON {
	out := make([]hitJSON, len(hs))
	for i, h := range hs {
		out[i] = hitJSON{
			ID: h.ID, Title: h.Title, TitleHTML: h.TitleHTML, URL: h.URL, Source: h.Source,
			Category: h.Category, Author: h.Author, Published: timeJSON(h.Published),
			Score: h.Score, Snippet: h.Snippet, AlsoIn: h.AlsoIn,
		}
	}
	return out
}

func buckets(bs []index.Bucket) []bucketJSON {
	out := make([]bucketJSON, len(bs))
	for i, b := range bs {
		out[i] = bucketJSON{b.Key, b.Count}
	}
	return out
}

func timeJSON(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

type articleJSON struct {
	ID            string   `json:"id"`
	URL           string   `json:"url,omitempty"`
	Title         string   `json:"title"`
	Summary       string   `json:"summary"`
	Body          string   `json:"body"`
	Captions      []string `json:"captions"`
	Author        string   `json:"author,omitempty"`
	Category      string   `json:"category,omitempty"`
	Tags          []string `json:"tags"`
	Source        string   `json:"source"`
	Published     string   `json:"published,omitempty"`
	PublishedFrom string   `json:"published_from"`
}

func articleResponse(a *article.Article) articleJSON {
	return articleJSON{
		ID: a.ID, URL: a.URL, Title: a.Title, Summary: a.Summary, Body: a.Body,
		Captions: nonNil(a.Captions), Author: a.Author, Category: a.Category,
		Tags: nonNil(a.Tags), Source: a.Source, Published: timeJSON(a.Published),
		PublishedFrom: a.PublishedFrom,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
