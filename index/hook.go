package index

import (
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// hookedSearcher passes every match of its searcher through hook before the
// searcher above it sees the match: the tiers give matches a constant score
// with it, the columns count facets and give date keys.
type hookedSearcher struct {
	search.Searcher
	hook func(*search.DocumentMatch)
}

func (s *hookedSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.saw(s.Searcher.Next(ctx))
}

func (s *hookedSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	return s.saw(s.Searcher.Advance(ctx, id))
}

func (s *hookedSearcher) saw(dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if dm != nil {
		s.hook(dm)
	}
	return dm, err
}
