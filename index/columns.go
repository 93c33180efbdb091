package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bsearcher "github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facets and date order come from columns held in memory, one per index
// segment: each article's facet term (facetTerm) as a number, and its date.
// bleve's own facets and sorting read every matching article's doc values,
// decompressing its chunk of the segment, on every search: a fifth of the
// CPU of a search for the facets, and most of an empty search's for the
// sort. A segment never changes once written, so its columns are read from
// the doc values once and kept while the segment is in use; merges make new
// segments, whose columns are read on their first search. Counting the whole
// archive this way costs no more than reading a cached count did, so nothing
// else is cached.

// dateOrder is how a search orders its results by date, if it does.
type dateOrder int

const (
	noDateOrder dateOrder = iota
	newestFirst
	oldestFirst
)

// searchWithFacets runs sr and counts the facet terms of all its matches.
// With a date order, every match's score is its date key (dateKey), and sr
// must sort by score: the collector then orders by date without reading a
// doc value.
func (ix *Index) searchWithFacets(ctx context.Context, sr *bleve.SearchRequest, order dateOrder) (*bleve.SearchResult, facetTally, error) {
	counting := &countingQuery{q: sr.Query, cols: ix.columns, order: order}
	sr.Query = counting
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, facetTally{}, err
	}
	if order != noDateOrder {
		for _, dm := range res.Hits {
			dm.Score = 0 // a date key is no score
		}
	}
	return res, counting.tally(), nil
}

// noDate marks an article without a date in segmentColumns.date.
const noDate = math.MinInt64

// segmentColumns are the facet term and the date of each article of one
// segment, by its number in the segment: the facet term's parts are
// parts[facet[n]], facet[n] being 0 for none; the date is in Unix
// nanoseconds, or noDate.
type segmentColumns struct {
	facet []uint32
	parts []facetParts // by facet ord, [0] for none
	date  []int64

	mu   sync.Mutex
	live liveCounts // of the live articles, when last asked
}

// liveCounts are the counts of the facet terms of a segment's live
// articles when there were n of them: a segment only ever loses articles,
// so n says which.
type liveCounts struct {
	n      uint64
	counts []int
}

// liveCounts are the counts of the facet terms of live, the segment's
// live articles. The slice is shared: never change it.
func (col *segmentColumns) liveCounts(live *roaring.Bitmap) []int {
	n := live.GetCardinality()
	col.mu.Lock()
	defer col.mu.Unlock()
	if col.live.counts == nil || col.live.n != n {
		counts := make([]int, len(col.parts))
		eachMany(live, func(docs []uint32) {
			for _, d := range docs {
				counts[col.facet[d]]++
			}
		})
		col.live = liveCounts{n, counts}
	}
	return col.live.counts
}

// eachMany calls fn with the articles of m, in order, many at a time.
func eachMany(m *roaring.Bitmap, fn func(docs []uint32)) {
	buf := make([]uint32, 1024)
	it := m.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		fn(buf[:n])
	}
}

// facetParts are the month, category and source of a facet term, as their
// numbers in the cache's facetNames; -1 for none.
type facetParts struct{ month, category, source int32 }

// facetNames numbers the months, categories and sources of the facet terms
// of the segments read, so a search adds its counts up in slices: adding
// them by facet term, then splitting the terms, cost more than the rest of
// an empty search.
type facetNames struct{ months, categories, sources nameTable }

// nameTable numbers names in the order they are first seen. names only
// grows: a search keeps the slice it was given, whose names never change.
type nameTable struct {
	ids   map[string]int32
	names []string
}

// id is the number of name, -1 for "".
func (t *nameTable) id(name string) int32 {
	if name == "" {
		return -1
	}
	id, ok := t.ids[name]
	if !ok {
		if t.ids == nil {
			t.ids = map[string]int32{}
		}
		id = int32(len(t.names))
		t.names = append(t.names, name)
		t.ids[name] = id
	}
	return id
}

// parse splits a facet term and numbers its parts.
func (n *facetNames) parse(term string) facetParts {
	parts := strings.SplitN(term, facetSep, 3)
	if len(parts) != 3 {
		return facetParts{-1, -1, -1}
	}
	return facetParts{n.months.id(parts[0]), n.categories.id(parts[1]), n.sources.id(parts[2])}
}

// dateKey is the score that orders an article by date: the higher, the
// sooner it comes. Articles without a date come last either way.
func (c *segmentColumns) dateKey(n uint64, order dateOrder) float64 {
	d := c.date[n]
	switch {
	case d == noDate:
		return math.Inf(-1)
	case order == oldestFirst:
		return -float64(d)
	}
	return float64(d)
}

// columnCache keeps the columns of the segments searched lately.
type columnCache struct {
	mu        sync.Mutex
	bySegment map[segment.Segment]*segmentColumns
	names     facetNames
}

func newColumnCache() *columnCache {
	return &columnCache{bySegment: map[segment.Segment]*segmentColumns{}}
}

// snapshotColumns are the columns of a snapshot's segments, in order, the
// number of the first article of each (bleve numbers a snapshot's articles
// segment after segment, deleted ones included) and the names their facet
// parts are numbered by.
type snapshotColumns struct {
	cols                        []*segmentColumns
	offsets                     []uint64
	months, categories, sources []string
}

// forSnapshot returns the columns of the snapshot's segments.
func (cc *columnCache) forSnapshot(snap *scorch.IndexSnapshot) (*snapshotColumns, error) {
	segs := snap.Segments()
	cols := make([]*segmentColumns, len(segs))
	offsets := make([]uint64, len(segs))
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var running uint64
	live := make(map[segment.Segment]bool, len(segs))
	for i, ss := range segs {
		seg := ss.Segment()
		live[seg] = true
		offsets[i] = running
		running += seg.Count()
		col, ok := cc.bySegment[seg]
		if !ok {
			var err error
			if col, err = readColumns(seg, &cc.names); err != nil {
				return nil, err
			}
			cc.bySegment[seg] = col
		}
		cols[i] = col
	}
	// Segments merged away are forgotten, but not at once: around a merge
	// searches of the old and the new snapshot run side by side, and each
	// would drop the other's columns.
	if len(cc.bySegment) > 2*len(segs) {
		for seg := range cc.bySegment {
			if !live[seg] {
				delete(cc.bySegment, seg)
			}
		}
	}
	return &snapshotColumns{cols: cols, offsets: offsets, months: cc.names.months.names,
		categories: cc.names.categories.names, sources: cc.names.sources.names}, nil
}

// readColumns reads the facet term and the date of every article of seg
// from its doc values, in order, so each chunk is decompressed once, and
// numbers the parts of its facet terms in names.
func readColumns(seg segment.Segment, names *facetNames) (*segmentColumns, error) {
	n := seg.Count()
	col := &segmentColumns{facet: make([]uint32, n), date: make([]int64, n),
		parts: []facetParts{{-1, -1, -1}}}
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("columns: segment %T has no doc values", seg)
	}
	ords := map[string]uint32{}
	fields := []string{FieldFacets, FieldPublished}
	var state segment.DocVisitState
	for doc := uint64(0); doc < n; doc++ {
		col.date[doc] = noDate
		var err error
		state, err = dv.VisitDocValues(doc, fields, func(field string, term []byte) {
			if field == FieldPublished {
				// The full precision has shift 0: the one term
				// the writer indexes (dateField), one of sixteen in
				// indexes written before it.
				pc := numeric.PrefixCoded(term)
				if shift, err := pc.Shift(); err == nil && shift == 0 {
					if nanos, err := pc.Int64(); err == nil {
						col.date[doc] = nanos
					}
				}
				return
			}
			o, ok := ords[string(term)]
			if !ok {
				o = uint32(len(col.parts))
				col.parts = append(col.parts, names.parse(string(term)))
				ords[string(term)] = o
			}
			col.facet[doc] = o
		}, state)
		if err != nil {
			return nil, fmt.Errorf("columns: read article %d of a segment: %w", doc, err)
		}
	}
	return col, nil
}

// facetCount counts the facet terms of the articles of one search and, with
// a date order, scores each by its date.
type facetCount struct {
	columnCursor
	counts [][]int // by segment, by facet ord
	order  dateOrder
}

// columnCursor finds articles in the columns of a snapshot.
type columnCursor struct {
	*snapshotColumns
	seg int // segment of the last article found
}

// see counts a match and gives it its date key.
func (c *facetCount) see(dm *search.DocumentMatch) {
	seg, local, ok := c.locate(dm.IndexInternalID)
	if ok {
		c.add(seg, local)
	}
	switch {
	case c.order == noDateOrder:
	case ok:
		dm.Score = c.cols[seg].dateKey(local, c.order)
	default:
		dm.Score = math.Inf(-1)
	}
}

// locate finds an article's segment and its number there.
func (c *columnCursor) locate(id bleveindex.IndexInternalID) (seg int, local uint64, ok bool) {
	num := id.Value()
	// Searchers give articles in order of their numbers: the segment is
	// most often the last one, or the next.
	if c.seg >= len(c.offsets) || num < c.offsets[c.seg] ||
		(c.seg+1 < len(c.offsets) && num >= c.offsets[c.seg+1]) {
		c.seg = sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > num }) - 1
		if c.seg < 0 {
			return 0, 0, false
		}
	}
	local = num - c.offsets[c.seg]
	return c.seg, local, local < uint64(len(c.cols[c.seg].facet))
}

// add counts the article's facet term; one without counts under ord 0,
// whose parts are none.
func (c *facetCount) add(seg int, local uint64) {
	c.segment(seg)[c.cols[seg].facet[local]]++
}

// addSet counts the facet terms of m, some of the segment's live articles
// live. When m holds most of them, as the live articles' counts (kept from
// the last search) less those of the others: the common syllables of a
// million articles match most of them, and reading each one's facet term
// was the largest part of such a search.
func (c *facetCount) addSet(seg int, m, live *roaring.Bitmap) {
	col, counts := c.cols[seg], c.segment(seg)
	sign := 1
	if 2*m.GetCardinality() > live.GetCardinality() {
		for o, n := range col.liveCounts(live) {
			counts[o] += n
		}
		m, sign = roaring.AndNot(live, m), -1
	}
	eachMany(m, func(docs []uint32) {
		for _, d := range docs {
			counts[col.facet[d]] += sign
		}
	})
}

// segment is the counts of a segment's facet terms, by ord.
func (c *facetCount) segment(seg int) []int {
	if c.counts[seg] == nil {
		c.counts[seg] = make([]int, len(c.cols[seg].parts))
	}
	return c.counts[seg]
}

// facetTally is how many articles of a result have each month, category and
// source.
type facetTally struct{ months, categories, sources map[string]int }

// tally adds up the counts of the facet terms by month, category and source.
func (c *facetCount) tally() facetTally {
	months := make([]int, len(c.months))
	categories := make([]int, len(c.categories))
	sources := make([]int, len(c.sources))
	for s, counts := range c.counts {
		parts := c.cols[s].parts
		for o, n := range counts {
			if n == 0 {
				continue
			}
			p := parts[o]
			if p.month >= 0 {
				months[p.month] += n
			}
			if p.category >= 0 {
				categories[p.category] += n
			}
			if p.source >= 0 {
				sources[p.source] += n
			}
		}
	}
	return facetTally{nonZero(months, c.months), nonZero(categories, c.categories), nonZero(sources, c.sources)}
}

// nonZero maps each name to its count, leaving out those counted 0 times.
func nonZero(counts []int, names []string) map[string]int {
	out := map[string]int{}
	for i, n := range counts {
		if n > 0 {
			out[names[i]] = n
		}
	}
	return out
}

// countingQuery matches what q matches, counts the facets of every match
// and, with a date order, scores it by its date: it is the root of a
// search's query, so every article the collector receives passes through it
// once.
type countingQuery struct {
	q     query.Query
	cols  *columnCache
	order dateOrder
	count *facetCount // set when the searcher is made
}

// Searcher implements bleve's query.Query.
func (c *countingQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	sc, err := c.cols.forReader(r)
	if err != nil {
		return nil, err
	}
	s, err := c.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	c.count = &facetCount{columnCursor: columnCursor{snapshotColumns: sc}, counts: make([][]int, len(sc.cols)), order: c.order}
	return &hookedSearcher{Searcher: s, hook: c.count.see}, nil
}

// tally is the facets counted by the search, empty before it ran.
func (c *countingQuery) tally() facetTally {
	if c.count == nil {
		return facetTally{}
	}
	return c.count.tally()
}

// forReader returns the columns of the snapshot r reads.
func (cc *columnCache) forReader(r bleveindex.IndexReader) (*snapshotColumns, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("columns: index reader %T is not scorch's", r)
	}
	return cc.forSnapshot(snap)
}

// datedQuery matches what q matches and is dated within the bounds of
// dates (its other filters are not tested), by the dates of the columns.
// bleve's date range query would find them through the date's terms at
// sixteen precisions; the index keeps one (dateField).
type datedQuery struct {
	q     query.Query
	dates columnFilter
	cols  *columnCache
}

// Searcher implements bleve's query.Query.
func (d *datedQuery) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	sc, err := d.cols.forReader(r)
	if err != nil {
		return nil, err
	}
	s, err := d.q.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	cur := &columnCursor{snapshotColumns: sc}
	return bsearcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, dm *search.DocumentMatch) bool {
		seg, local, ok := cur.locate(dm.IndexInternalID)
		return ok && d.dates.passes(sc.cols[seg], nil, uint32(local))
	}), nil
}
