package index

import (
	"time"

	"kho/internal/query"
)

// Sort orders search results.
type Sort int

const (
	SortRelevance Sort = iota
	SortNewest
	SortOldest
)

// SearchRequest is one search, already validated by its caller.
type SearchRequest struct {
	Query query.Node // nil lists the whole archive, newest first
	Text  string     // the query as typed, for diacritic suggestions

	From, To time.Time // inclusive bounds; zero means unbounded

	Sources, Categories, Authors, Tags []string // OR within a list, AND across

	Sort       Sort
	Page, Size int // 1-based page; size of a page
}

// SearchResult answers a SearchRequest.
type SearchResult struct {
	Total      uint64
	Took       time.Duration
	Suggestion string // the query with diacritics restored; empty when it equals the query
	Hits       []Hit
	Facets     Facets
}

// Hit is one article in a result list. TitleHTML and Snippet are HTML-escaped
// text with <mark> around matches.
type Hit struct {
	ID        string
	Title     string
	TitleHTML string
	URL       string
	Source    string
	Category  string
	Author    string
	Published time.Time // zero when unknown
	Score     float64
	Snippet   string
	AlsoIn    []string // related stories: other sources that republished the same text
}

// Facets count the articles of a result by year, month, category and source.
type Facets struct {
	Years      []Bucket // chronological, zero-filled from first to last year
	Months     []Bucket // chronological, zero-filled; only when the result spans at most 24 months
	Categories []Bucket // by count
	Sources    []Bucket // by count
}

// Bucket is one facet value and the number of articles that have it.
type Bucket struct {
	Key   string
	Count int
}

// RelatedRequest asks for the stories related to an article or a draft.
type RelatedRequest struct {
	ID          string // an indexed article, or
	Title, Text string // a draft
	Size        int
	WindowDays  int // 0: no window; recency breaks ties
}

// Stats describes an index.
type Stats struct {
	Articles      uint64            `json:"articles"`
	Sources       map[string]uint64 `json:"sources"`
	Years         map[string]uint64 `json:"years"`
	DateUnknown   uint64            `json:"date_unknown"`
	SizeBytes     int64             `json:"size_bytes"`
	SchemaVersion int               `json:"schema_version"`
}
