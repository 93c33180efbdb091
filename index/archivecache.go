package index

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// archiveFacets remembers the facets of the whole archive: an empty search
// without filters (the archive's front page, the most frequent request)
// would otherwise count every article on every visit, which costs more
// than the rest of that search. The facets are kept for one index root:
// any write, merge or flush makes a new root, and the next search counts
// again.
type archiveFacets struct {
	mu     sync.Mutex
	epoch  uint64
	counts map[string]int // by facet term
}

func (c *archiveFacets) get(epoch uint64) (map[string]int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || c.epoch != epoch {
		return nil, false
	}
	return c.counts, true
}

func (c *archiveFacets) put(epoch uint64, counts map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || epoch >= c.epoch {
		c.epoch, c.counts = epoch, counts
	}
}

// searchWithFacets runs sr with its facets. For the whole archive they come
// from the cache when the index root has not changed since they were
// counted, and a count is cached only when its search saw a known root.
//
// Which root a search saw: scorch publishes a new root's epoch before it
// releases the lock that searches take to read the root, and epochs only
// grow. So when the epoch is the same before and after a search, the search
// read the root of that epoch; when it differs, a write came in between and
// the cache must not be trusted for this search.
func (ix *Index) searchWithFacets(ctx context.Context, sr *bleve.SearchRequest, wholeArchive bool) (*bleve.SearchResult, map[string]int, error) {
	before, ok := ix.epoch()
	if cached, hit := ix.archive.get(before); wholeArchive && ok && hit {
		res, err := ix.bleve.SearchInContext(ctx, sr)
		if err != nil {
			return nil, nil, err
		}
		if ix.sameRoot(before) {
			return res, cached, nil
		}
		// Written to during the search: count this search's own facets.
	}
	counting := &countingQuery{q: sr.Query, cols: ix.facetCols}
	sr.Query = counting
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, nil, err
	}
	counts := counting.counts()
	if wholeArchive && ok && ix.sameRoot(before) {
		ix.archive.put(before, counts)
	}
	return res, counts, nil
}

func (ix *Index) sameRoot(epoch uint64) bool {
	now, ok := ix.epoch()
	return ok && now == epoch
}

// epoch identifies the index's current root (its set of segments); ok is
// false when the index does not say, and nothing is cached then.
func (ix *Index) epoch() (uint64, bool) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return 0, false
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, false
	}
	st, ok := s.Stats().(*scorch.Stats)
	if !ok {
		return 0, false
	}
	return atomic.LoadUint64(&st.CurRootEpoch), true
}

// wholeArchive reports whether a request lists the whole archive: no words,
// no filters.
func wholeArchive(req SearchRequest) bool {
	return req.Query == nil && req.From.IsZero() && req.To.IsZero() && len(req.Sources) == 0 &&
		len(req.Categories) == 0 && len(req.Authors) == 0 && len(req.Tags) == 0
}
