package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"kho/internal/vntext"
)

// Facets: kho counts every facet term (facetTerm) of a result
// (columns.go) and adds them up into months, years, categories and
// sources, and shows the topTerms largest categories and sources.
const (
	topTerms   = 30
	maxWindow  = 10000 // deepest result a page may reach
	monthLimit = 24    // months facet only when the result spans at most this many
)

// Search runs one search with its facets and highlights. When the reader
// typed syllables with diacritics, ranking by relevance is tiered (tiers.go):
// articles with those exact forms come first, then those that match only the
// folded letters. Forms the diacritics model restored only raise the score: a
// restoration can be wrong, and a wrong one must not bury the right article.
func (ix *Index) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	start := time.Now()
	size, from := req.Size, (req.Page-1)*req.Size
	if size <= 0 {
		size = 10
	}
	if from < 0 {
		from = 0
	}
	if from+size > maxWindow {
		return nil, fmt.Errorf("search: page beyond the first %d results", maxWindow)
	}
	if err := ix.takeTurn(ctx); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer ix.endTurn()
	c := compileQuery(req.Query, false)
	order := dateOrderOf(req.Sort, len(c.must) > 0)
	var suggestion string
	var res *bleve.SearchResult
	var counts facetTally
	var err error
	ranked := false
	if f, ok := browseFilter(c, req, order); ok {
		suggestion, _ = ix.suggest(req.Text, req.Query)
		res, counts, err = ix.browse(ctx, f, order, from, size)
		ranked = true
	} else if f, ok := rankFilter(c, req, order); ok {
		res, counts, suggestion, ranked, err = ix.searchRanked(ctx, c, req, f, from, size)
	}
	if !ranked && err == nil {
		res, counts, suggestion, err = ix.searchBleve(ctx, c, req, order, from, size)
	}
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	for _, dm := range res.Hits {
		untier(dm)
	}
	out := &SearchResult{Total: res.Total, Suggestion: suggestion, Hits: make([]Hit, 0, len(res.Hits))}
	hl := newHighlighter(req.Query)
	for _, dm := range res.Hits {
		out.Hits = append(out.Hits, ix.markedHit(dm, hl))
	}
	out.Facets = facets(counts, req)
	out.Took = time.Since(start)
	return out, nil
}

// searchBleve runs a search through bleve's searchers, with the facet
// counts and the suggestion.
func (ix *Index) searchBleve(ctx context.Context, c compiled, req SearchRequest, order dateOrder, from, size int) (*bleve.SearchResult, facetTally, string, error) {
	q, suggestion := ix.relevanceQuery(c, req, order, true)
	res, counts, err := ix.searchWithFacets(ctx, ix.pageRequest(q, from, size, order == noDateOrder), order)
	return res, counts, suggestion, err
}

// relevanceQuery is the query of a search, with its suggestion: the words
// the diacritics model restored add to the score and, ranked by relevance,
// the forms typed with diacritics come first (tiered). The filters are in
// the query when withFilters.
func (ix *Index) relevanceQuery(c compiled, req SearchRequest, order dateOrder, withFilters bool) (query.Query, string) {
	suggestion, restored := ix.suggest(req.Text, req.Query)
	c.should = append(c.should, exactTerms(restored, restoredBoost)...)
	filtered := req
	if !withFilters {
		filtered = SearchRequest{}
	}
	q := buildQuery(c, filtered)
	if dates := dateBounds(filtered); dates.dated {
		q = &datedQuery{q: q, dates: dates, cols: ix.columns}
	}
	if pref := preferred(req.Query); pref != nil && order == noDateOrder {
		q = tiered(q, pref)
	}
	return q, suggestion
}

// takeTurn waits for a turn to search. Searches and related-story requests
// take turns, as many at once as there are cores, the others waiting in
// line: each uses one core from start to end, and sixteen sharing two cores
// would each take eight times as long. A request that gives up while
// waiting leaves the line with its error. endTurn ends the turn.
func (ix *Index) takeTurn(ctx context.Context) error {
	select {
	case ix.searching <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (ix *Index) endTurn() { <-ix.searching }

// pageRequest asks for one page of a query with the stored fields hits show,
// by score: a date order gives every match its date as score (columns.go).
func (ix *Index) pageRequest(q query.Query, from, size int, scored bool) *bleve.SearchRequest {
	sr := bleve.NewSearchRequestOptions(q, size, from, false)
	sr.Fields = []string{FieldTitle, FieldSummary, FieldBody, FieldURL, FieldSource,
		FieldCategory, FieldAuthor, FieldPublished}
	byScore := &search.SortScore{Desc: true}
	sr.SortByCustom(search.SortOrder{byScore})
	if !scored {
		// Ordered by date, or nothing to rank by: skip scoring, which
		// alone would score a filter's keyword term NaN (no field
		// length) and break the JSON. Without scores and with the score
		// as its one sort key, bleve stops at the first page's worth of
		// matches; the total and the facets need them all, and a second
		// key keeps it going.
		sr.Score = bleve.ScoreNone
		sr.SortByCustom(search.SortOrder{byScore, byScore})
	}
	return sr
}

// buildQuery joins the compiled user query with the filters.
func buildQuery(c compiled, req SearchRequest) query.Query {
	must := append([]query.Query(nil), c.must...)
	must = append(must, filters(req)...)
	if len(must) == 0 {
		must = []query.Query{query.NewMatchAllQuery()}
	}
	if len(c.should) == 0 && len(c.mustNot) == 0 && len(must) == 1 {
		return must[0]
	}
	return query.NewBooleanQuery(must, c.should, c.mustNot)
}

// filters are the keyword filters: OR within a list, AND across lists. The
// date bounds are no query: datedQuery tests them (dateBounds).
func filters(req SearchRequest) []query.Query {
	var out []query.Query
	for _, f := range []struct {
		field  string
		values []string
	}{
		{FieldSource, req.Sources}, {FieldCategory, req.Categories},
		{FieldAuthor, req.Authors}, {FieldTags, req.Tags},
	} {
		if len(f.values) == 0 {
			continue
		}
		alts := make([]query.Query, len(f.values))
		for i, v := range f.values {
			// Stored keywords are NFC; a value pasted in NFD must still match.
			alts[i] = term(vntext.Repair(v), f.field, 0)
		}
		out = append(out, query.NewDisjunctionQuery(alts))
	}
	return out
}

// dateOrderOf: relevance falls back to newest first when there is nothing to
// score (an empty query lists the archive). Results sorted by date carry no
// score. Equal keys keep the index's own order: a tie-break on the document
// id would load the id of every match, which costs more than the rest of the
// search; one on the date loaded every match's date for scores that are
// seldom equal (bench-search at concurrency 1: 14.0 → 12.3 ms without it).
func dateOrderOf(s Sort, scored bool) dateOrder {
	switch {
	case s == SortOldest:
		return oldestFirst
	case s == SortNewest || !scored:
		return newestFirst
	}
	return noDateOrder
}
