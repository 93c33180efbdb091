package index

import (
	"container/heap"
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/internal/vntext"
)

// Browsing: a search without query text lists the archive by date with its
// facets, and a search sorted by date needs no scores. Through bleve, every
// article of the result passes through its searchers, the facet counter
// and the collector one by one: 50 ms for the empty query on a million
// articles (BENCHMARKS.md). The columns (columns.go) hold what such a
// search asks about each article (date, month, category, source), and the
// postings of the query's terms, as bitmaps, say which articles match
// (matchset.go); browse answers from them in one tight loop and asks bleve
// only for the stored fields of the page's hits. Filters on authors or tags
// are not in the columns: those searches go through bleve.

// columnFilter is a search's query and filters, the filters as tests on
// the columns.
type columnFilter struct {
	query               query.Query     // nil: every article
	from, to            int64           // Unix nanoseconds, both inclusive
	dated               bool            // a date bound is set: undated articles do not match
	sources, categories map[string]bool // nil: any
}

// browseFilter is the filter of a search that browse can answer: one
// without author or tag filters, and without query text or sorted by date.
func browseFilter(c compiled, req SearchRequest, order dateOrder) (columnFilter, bool) {
	text := len(c.must)+len(c.should)+len(c.mustNot) > 0
	if text && order == noDateOrder {
		return columnFilter{}, false
	}
	f, ok := columnFilterOf(req)
	if text {
		f.query = buildQuery(c, SearchRequest{})
	}
	return f, ok
}

// rankFilter is the filter of a search ranked by relevance that rankTree
// may answer (topk.go): one without author or tag filters.
func rankFilter(c compiled, req SearchRequest, order dateOrder) (columnFilter, bool) {
	if len(c.must)+len(c.should)+len(c.mustNot) == 0 || order != noDateOrder {
		return columnFilter{}, false
	}
	return columnFilterOf(req)
}

// columnFilterOf is req's filters as tests on the columns, without a
// query; false when it filters on what the columns do not hold.
func columnFilterOf(req SearchRequest) (columnFilter, bool) {
	if len(req.Authors) > 0 || len(req.Tags) > 0 {
		return columnFilter{}, false
	}
	f := dateBounds(req)
	f.sources = valueSet(req.Sources)
	f.categories = valueSet(req.Categories)
	return f, true
}

// dateBounds is req's date bounds, both inclusive, as a filter on the
// columns; dated is false when it has none.
func dateBounds(req SearchRequest) columnFilter {
	f := columnFilter{from: math.MinInt64, to: math.MaxInt64}
	if !req.From.IsZero() {
		f.from, f.dated = req.From.UnixNano(), true
	}
	if !req.To.IsZero() {
		f.to, f.dated = req.To.UnixNano(), true
	}
	return f
}

// valueSet is a keyword filter's values as stored (NFC, like filters), nil
// when there are none.
func valueSet(values []string) map[string]bool {
	if len(values) == 0 {
		return nil
	}
	set := make(map[string]bool, len(values))
	for _, v := range values {
		set[vntext.Repair(v)] = true
	}
	return set
}

// nameFilter is a search's source and category filters as tests on the
// numbers the columns give those names; nil when a kind is not filtered.
type nameFilter struct{ sources, categories []bool }

// byNumber turns the filter's source and category sets into tests on the
// names' numbers in sc.
func (f columnFilter) byNumber(sc *snapshotColumns) nameFilter {
	pass := func(names []string, set map[string]bool) []bool {
		if set == nil {
			return nil
		}
		ok := make([]bool, len(names))
		for i, name := range names {
			ok[i] = set[name]
		}
		return ok
	}
	return nameFilter{pass(sc.sources, f.sources), pass(sc.categories, f.categories)}
}

// allows reports, for each facet term of a segment (by ord, 0 for none),
// whether its category and source pass; nil when every term does.
func (nf nameFilter) allows(col *segmentColumns) []bool {
	if nf.sources == nil && nf.categories == nil {
		return nil
	}
	ok := make([]bool, len(col.parts))
	for o, p := range col.parts {
		ok[o] = (nf.sources == nil || p.source >= 0 && nf.sources[p.source]) &&
			(nf.categories == nil || p.category >= 0 && nf.categories[p.category])
	}
	return ok
}

// passes reports whether article n of a segment with columns col passes
// the filter's dates, sources and categories (allowed: by facet term, nil
// for all).
func (f columnFilter) passes(col *segmentColumns, allowed []bool, n uint32) bool {
	if allowed != nil && !allowed[col.facet[n]] {
		return false
	}
	d := col.date[n]
	return !f.dated || d != noDate && d >= f.from && d <= f.to
}

// browse answers a search by date, in the given order, from the columns
// and, with query text, the postings of its terms (matchset.go).
func (ix *Index) browse(ctx context.Context, f columnFilter, order dateOrder, from, size int) (*bleve.SearchResult, facetTally, error) {
	snap, done, err := ix.snapshot()
	if err != nil {
		return nil, facetTally{}, err
	}
	defer done()
	sc, err := ix.columns.forSnapshot(snap)
	if err != nil {
		return nil, facetTally{}, err
	}
	var t *rankTree
	if f.query != nil {
		if t, err = newMatchTree(snap, f.query); err != nil {
			return nil, facetTally{}, err
		}
	}
	count := &facetCount{columnCursor: columnCursor{snapshotColumns: sc}, counts: make([][]int, len(sc.cols))}
	names := f.byNumber(sc)
	top := &dateHeap{}
	keep := from + size
	var total uint64
	for s, ss := range snap.Segments() {
		if err := ctx.Err(); err != nil {
			return nil, facetTally{}, err
		}
		col, offset := sc.cols[s], sc.offsets[s]
		m, err := newRankSegment(t, snap, ss, offset).matching(s, f, names, count)
		if err != nil {
			return nil, facetTally{}, err
		}
		total += m.GetCardinality()
		eachMany(m, func(docs []uint32) {
			for _, n := range docs {
				top.offer(dated{key: col.dateKey(uint64(n), order), num: offset + uint64(n)}, keep)
			}
		})
	}
	res, err := pageOf(snap, top.best(), total, from, ix.pageRequest(nil, from, size, false))
	if err != nil {
		return nil, facetTally{}, err
	}
	return res, count.tally(), nil
}

// snapshot is the index's current snapshot, to be released with done.
func (ix *Index) snapshot() (snap *scorch.IndexSnapshot, done func(), err error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, nil, fmt.Errorf("search: index reader %T is not scorch's", r)
	}
	return snap, func() { r.Close() }, nil
}

// pageOf is the result of a search whose first articles are best, from
// from on, with their stored fields; a scored page's keys are the scores.
func pageOf(snap *scorch.IndexSnapshot, best []dated, total uint64, from int, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if from < len(best) {
		best = best[from:]
	} else {
		best = nil
	}
	res := &bleve.SearchResult{Total: total, Hits: make(search.DocumentMatchCollection, 0, len(best))}
	for _, m := range best {
		dm, err := pageHit(snap, m.num, sr)
		if err != nil {
			return nil, err
		}
		if sr.Score != bleve.ScoreNone {
			dm.Score = m.key
		}
		res.Hits = append(res.Hits, dm)
	}
	return res, nil
}

// pageHit loads the stored fields sr asks for of the article numbered num
// in snap, as bleve loads those of a search's hits.
func pageHit(snap *scorch.IndexSnapshot, num uint64, sr *bleve.SearchRequest) (*search.DocumentMatch, error) {
	internal := bleveindex.NewIndexInternalID(nil, num)
	id, err := snap.ExternalID(internal)
	if err != nil {
		return nil, fmt.Errorf("browse: article %d: %w", num, err)
	}
	dm := &search.DocumentMatch{ID: id, IndexInternalID: internal}
	if err, _ := bleve.LoadAndHighlightFields(dm, sr, "", snap, nil); err != nil {
		return nil, fmt.Errorf("browse: article %s: %w", dm.ID, err)
	}
	return dm, nil
}

// dated is an article of a browse result: its date key (dateKey) and its
// number in the snapshot.
type dated struct {
	key float64
	num uint64
}

// before reports whether a comes before b in the result: the higher key
// first and, as bleve's collector orders equal keys, the lower number.
func (a dated) before(b dated) bool {
	if a.key != b.key {
		return a.key > b.key
	}
	return a.num < b.num
}

// dateHeap holds the first articles of a result, the last of them on top.
type dateHeap []dated

// offer keeps m if it is among the first keep articles seen.
func (h *dateHeap) offer(m dated, keep int) {
	switch {
	case len(*h) < keep:
		heap.Push(h, m)
	case m.before((*h)[0]):
		(*h)[0] = m
		heap.Fix(h, 0)
	}
}

// best empties the heap into its articles, first first.
func (h *dateHeap) best() []dated {
	out := make([]dated, len(*h))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(dated)
	}
	return out
}

func (h dateHeap) Len() int           { return len(h) }
func (h dateHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h dateHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dateHeap) Push(x any)        { *h = append(*h, x.(dated)) }
func (h *dateHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
