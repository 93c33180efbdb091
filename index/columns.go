package index

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facets are counted from columns held in memory, one per index segment:
// each article's facet term (facetTerm) as a number. bleve's own facets read
// every matching article's doc value, decompressing its chunk of the
// segment, on every search: a fifth of the CPU of a search. A segment never
// changes once written, so its column is read from the doc values once and
// kept while the segment is in use; merges make new segments, whose columns
// are read on their first search. Counting the whole archive this way costs
// no more than reading a cached count did (6.4–7.0 ms either way for an
// empty search, most of it sorting by date), so nothing else is cached.

// searchWithFacets runs sr and counts the facet terms of all its matches.
func (ix *Index) searchWithFacets(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, map[string]int, error) {
	counting := &countingQuery{q: sr.Query, cols: ix.facetCols}
	sr.Query = counting
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, nil, err
	}
	return res, counting.counts(), nil
}

// facetColumn is the facet term of each article of one segment, by its
// number in the segment: terms[ord[n]-1], or none when ord[n] is 0.
type facetColumn struct {
	ord   []uint32
	terms []string
}

// facetColumns keeps the columns of the segments searched lately.
type facetColumns struct {
	mu        sync.Mutex
	bySegment map[segment.Segment]*facetColumn
}

func newFacetColumns() *facetColumns {
	return &facetColumns{bySegment: map[segment.Segment]*facetColumn{}}
}

// forSnapshot returns the columns of the snapshot's segments, in order, and
// the number of the first article of each: bleve numbers a snapshot's
// articles segment after segment, deleted ones included.
func (fc *facetColumns) forSnapshot(snap *scorch.IndexSnapshot) ([]*facetColumn, []uint64, error) {
	segs := snap.Segments()
	cols := make([]*facetColumn, len(segs))
	offsets := make([]uint64, len(segs))
	fc.mu.Lock()
	defer fc.mu.Unlock()
	var running uint64
	live := make(map[segment.Segment]bool, len(segs))
	for i, ss := range segs {
		seg := ss.Segment()
		live[seg] = true
		offsets[i] = running
		running += seg.Count()
		col, ok := fc.bySegment[seg]
		if !ok {
			var err error
			if col, err = readFacetColumn(seg); err != nil {
				return nil, nil, err
			}
			fc.bySegment[seg] = col
		}
		cols[i] = col
	}
	// Segments merged away are forgotten, but not at once: around a merge
	// searches of the old and the new snapshot run side by side, and each
	// would drop the other's columns.
	if len(fc.bySegment) > 2*len(segs) {
		for seg := range fc.bySegment {
			if !live[seg] {
				delete(fc.bySegment, seg)
			}
		}
	}
	return cols, offsets, nil
}

// readFacetColumn reads the facet term of every article of seg from its doc
// values, in order, so each chunk is decompressed once.
func readFacetColumn(seg segment.Segment) (*facetColumn, error) {
	n := seg.Count()
	col := &facetColumn{ord: make([]uint32, n)}
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("facets: segment %T has no doc values", seg)
	}
	ords := map[string]uint32{}
	fields := []string{FieldFacets}
	var state segment.DocVisitState
	for doc := uint64(0); doc < n; doc++ {
		var err error
		state, err = dv.VisitDocValues(doc, fields, func(_ string, term []byte) {
			o, ok := ords[string(term)]
			if !ok {
				col.terms = append(col.terms, string(term))
				o = uint32(len(col.terms))
				ords[string(term)] = o
			}
			col.ord[doc] = o
		}, state)
		if err != nil {
			return nil, fmt.Errorf("facets: read article %d of a segment: %w", doc, err)
		}
	}
	return col, nil
}

// facetCount counts the facet terms of the articles of one search.
type facetCount struct {
	cols    []*facetColumn
	offsets []uint64
	counts  [][]int // by segment, by ord
	seg     int     // segment of the last article counted
}

func (c *facetCount) add(id bleveindex.IndexInternalID) {
	num := id.Value()
	// Searchers give articles in order of their numbers: the segment is
	// most often the last one, or the next.
	if c.seg >= len(c.offsets) || num < c.offsets[c.seg] ||
		(c.seg+1 < len(c.offsets) && num >= c.offsets[c.seg+1]) {
		c.seg = sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > num }) - 1
		if c.seg < 0 {
			return
		}
	}
	col := c.cols[c.seg]
	local := num - c.offsets[c.seg]
	if local >= uint64(len(col.ord)) || col.ord[local] == 0 {
		return
	}
	if c.counts[c.seg] == nil {
		c.counts[c.seg] = make([]int, len(col.terms)+1)
	}
	c.counts[c.seg][col.ord[local]]++
}

// terms is how many counted articles have each facet term.
func (c *facetCount) terms() map[string]int {
	out := map[string]int{}
	for s, counts := range c.counts {
		for o, n := range counts {
			if n > 0 {
				out[c.cols[s].terms[o-1]] += n
			}
		}
	}
	return out
}

// countingQuery matches what q matches and counts the facets of every
// match: it is the root of a search's query, so every article the collector
// receives passes through it once.
type countingQuery struct {
	q     query.Query
	cols  *facetColumns
	count *facetCount // set when the searcher is made
}

// Searcher implements bleve's query.Query.
func (c *countingQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("facets: index reader %T is not scorch's", r)
	}
	cols, offsets, err := c.cols.forSnapshot(snap)
	if err != nil {
		return nil, err
	}
	s, err := c.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	c.count = &facetCount{cols: cols, offsets: offsets, counts: make([][]int, len(cols))}
	return &countingSearcher{Searcher: s, count: c.count}, nil
}

// counts is the facet terms counted by the search, nil before it ran.
func (c *countingQuery) counts() map[string]int {
	if c.count == nil {
		return nil
	}
	return c.count.terms()
}

type countingSearcher struct {
	search.Searcher
	count *facetCount
}

func (s *countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if dm != nil {
		s.count.add(dm.IndexInternalID)
	}
	return dm, err
}

func (s *countingSearcher) Advance(ctx *search.SearchContext, id bleveindex.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm != nil {
		s.count.add(dm.IndexInternalID)
	}
	return dm, err
}
