package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// tierBonus is added to the score of every article of the first tier (those
// with the forms the reader typed with diacritics). A BM25 score stays far
// below it, so ranking by score puts the whole first tier above the rest,
// each tier in the order of its own scores, and one search gives the page,
// the total and the facets. Searching each tier apart, then counting,
// walked the matches two or three times.
const tierBonus = 1 << 20

// tiered ranks the articles of base that also match pref first.
func tiered(base, pref query.Query) query.Query {
	return query.NewBooleanQuery([]query.Query{base}, []query.Query{&constantScore{q: pref, score: tierBonus}}, nil)
}

// untier gives a hit of a tiered search its own score back.
func untier(dm *search.DocumentMatch) {
	if dm.Score >= tierBonus { // in the first tier
		dm.Score -= tierBonus
	}
}

// constantScore matches what q matches with the same score for every
// article, and takes no part in the normalization of the other clauses'
// weights.
type constantScore struct {
	q     query.Query
	score float64
}

// Searcher implements bleve's query.Query.
func (c *constantScore) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := c.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	score := c.score
	return &constantSearcher{hookedSearcher{Searcher: s, hook: func(dm *search.DocumentMatch) { dm.Score = score }}}, nil
}

// constantSearcher takes no part in the normalization of the other clauses'
// weights.
type constantSearcher struct{ hookedSearcher }

func (s *constantSearcher) Weight() float64      { return 0 }
func (s *constantSearcher) SetQueryNorm(float64) {}
