package index

import (
	"container/heap"
	"context"
	"errors"
	"math"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
)

// The page of a ranked search without scoring every match (rank.go). An
// article's score is the sum of its terms' scores, each scaled down by the
// share of its siblings that match (never up). The title's terms have few
// postings: their scores are read for every match, and a term of the body
// adds at most its bound (BM25 saturates: a term's score stays under
// idf·k1 whatever its frequency). So an article's score is at most what its
// title terms give plus the body's bounds; articles are scored exactly in
// the order of that bound, and once the page's last score is above the
// bound of every article left, those are left unscored. An article whose
// title has none of the query's terms has the same bound as every other
// such article: they are scored together, if at all. On a million
// articles, a search of common syllables scores a few hundred of its
// hundreds of thousands of matches.

// searchRanked answers a search ranked by relevance with rankTree; ok is
// false when the query has a part rankTree does not handle (bleve must).
func (ix *Index) searchRanked(ctx context.Context, c compiled, req SearchRequest, f columnFilter, from, size int) (res *bleve.SearchResult, counts facetTally, suggestion string, ok bool, err error) {
	q, suggestion := ix.relevanceQuery(c, req, noDateOrder, false)
	snap, done, err := ix.snapshot()
	if err != nil {
		return nil, facetTally{}, "", false, err
	}
	defer done()
	t, err := newRankTree(snap, q)
	if errors.Is(err, errUnranked) {
		return nil, facetTally{}, "", false, nil
	}
	if err != nil {
		return nil, facetTally{}, "", false, err
	}
	sc, err := ix.columns.forSnapshot(snap)
	if err != nil {
		return nil, facetTally{}, "", false, err
	}
	page, total, counts, err := t.top(ctx, snap, sc, f, from+size)
	if err != nil {
		return nil, facetTally{}, "", false, err
	}
	if from < len(page) {
		page = page[from:]
	} else {
		page = nil
	}
	res = &bleve.SearchResult{Total: total, Hits: make(search.DocumentMatchCollection, 0, len(page))}
	sr := ix.pageRequest(nil, from, size, true)
	for _, m := range page {
		dm, err := pageHit(snap, m.num, sr)
		if err != nil {
			return nil, facetTally{}, "", false, err
		}
		dm.Score = m.key
		res.Hits = append(res.Hits, dm)
	}
	return res, counts, suggestion, true, nil
}

// rankCandidate is a matching article not yet scored, with the bound of
// its score.
type rankCandidate struct {
	bound float64
	doc   uint32
}

// rankPass is one ranked search in one snapshot.
type rankPass struct {
	tree  *rankTree
	keep  int
	top   dateHeap // the best articles so far, key the score; the last on top
	bound float64  // expensiveBound
}

// top is the first keep articles of t's result, best first, with the number
// of matches and their facets. Segments are ranked one after the other, the
// page so far ruling out more of each.
func (t *rankTree) top(ctx context.Context, snap *scorch.IndexSnapshot, sc *snapshotColumns, f columnFilter, keep int) ([]dated, uint64, facetTally, error) {
	p := &rankPass{tree: t, keep: keep, bound: t.expensiveBound()}
	count := &facetCount{snapshotColumns: sc, counts: make([][]int, len(sc.cols))}
	names := f.byNumber(sc)
	var total uint64
	buf := make([]uint32, 1024)
	for s, ss := range snap.Segments() {
		if err := ctx.Err(); err != nil {
			return nil, 0, facetTally{}, err
		}
		rs := newRankSegment(t, snap, ss, sc.offsets[s])
		root, err := rs.matches(t.root)
		if err != nil {
			return nil, 0, facetTally{}, err
		}
		m := roaring.And(root, ss.DocNumbersLive())
		m = f.keep(m, sc.cols[s], names.allows(sc.cols[s]))
		total += m.GetCardinality()
		it := m.ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			count.addAll(s, buf[:n])
		}
		if m.IsEmpty() {
			continue
		}
		if err := p.segment(ctx, rs, m); err != nil {
			return nil, 0, facetTally{}, err
		}
	}
	page := make([]dated, len(p.top))
	for i := len(page) - 1; i >= 0; i-- {
		page[i] = heap.Pop(&p.top).(dated)
	}
	return page, total, count.tally(), nil
}

// keep is the articles of m that pass the filter's dates, sources and
// categories (allowed: by facet term, nil for all).
func (f columnFilter) keep(m *roaring.Bitmap, col *segmentColumns, allowed []bool) *roaring.Bitmap {
	if allowed == nil && !f.dated {
		return m
	}
	out := roaring.New()
	m.Iterate(func(n uint32) bool {
		if allowed != nil && !allowed[col.facet[n]] {
			return true
		}
		if d := col.date[n]; f.dated && (d == noDate || d < f.from || d > f.to) {
			return true
		}
		out.Add(n)
		return true
	})
	return out
}

// expensiveBound is more than the terms without cheap postings, and the
// constant parts that are not constantScore, can add to any score.
func (t *rankTree) expensiveBound() float64 {
	var sum float64
	t.root.visit(func(n *rankNode) bool {
		switch {
		case n.kind == rankTerm && n.scored && !n.cheap:
			sum += n.termBound()
		case n.kind == rankEvery:
			sum += n.score
		}
		return n.kind != rankConstant
	})
	return sum * (1 + 1e-9)
}

// segmentScratch is what ranking a segment needs per article, kept for
// the next search: a million of each is not worth allocating each time.
type segmentScratch struct {
	acc        []float64 // the cheap terms' scores
	in, cheap  []uint64  // bit sets: the match set; the articles with a cheap term
	seen       []uint32  // the articles with a cheap term
	candidates []rankCandidate
}

var scratches = sync.Pool{New: func() any { return new(segmentScratch) }}

// grow sizes the scratch for n articles, all zero.
func (sc *segmentScratch) grow(n int) {
	if cap(sc.acc) < n {
		sc.acc = make([]float64, n)
	}
	sc.acc = sc.acc[:n]
	words := (n + 63) / 64
	for _, set := range []*[]uint64{&sc.in, &sc.cheap} {
		if cap(*set) < words {
			*set = make([]uint64, words)
		}
		*set = (*set)[:words]
		clear(*set)
	}
	sc.seen = sc.seen[:0]
	sc.candidates = sc.candidates[:0]
}

// segment ranks the articles m of one segment into the page.
func (p *rankPass) segment(ctx context.Context, rs *rankSegment, m *roaring.Bitmap) error {
	sc := scratches.Get().(*segmentScratch)
	defer scratches.Put(sc)
	sc.grow(int(rs.ss.Segment().Count()))
	defer func() {
		for _, d := range sc.seen {
			sc.acc[d] = 0
		}
	}()
	groups, err := rs.cheapScores(m, sc)
	if err != nil {
		return err
	}
	// A first batch, the best bounds, sets a threshold that usually rules
	// out all but a few of the rest.
	first := max(64, 4*p.keep)
	if theta := p.threshold(); len(sc.seen) > first && math.IsInf(theta, -1) {
		best := bestBounds(sc.seen, sc.acc, first)
		if err := p.score(ctx, rs, best); err != nil {
			return err
		}
		for _, d := range best {
			sc.acc[d] = math.Inf(-1) // scored
		}
	}
	theta := p.threshold()
	for _, d := range sc.seen {
		if b := sc.acc[d] + p.bound; b >= theta {
			sc.candidates = append(sc.candidates, rankCandidate{bound: b, doc: d})
		}
	}
	cands := sc.candidates
	slices.SortFunc(cands, func(a, b rankCandidate) int {
		switch {
		case a.bound > b.bound:
			return -1
		case a.bound < b.bound:
			return 1
		}
		return 0
	})
	slices.SortFunc(groups, func(a, b rankGroup) int {
		switch {
		case a.bound > b.bound:
			return -1
		case a.bound < b.bound:
			return 1
		}
		return 0
	})
	// Each batch reads the postings of every term up to its last article:
	// the more articles a batch scores, the fewer times they are read.
	batch := max(first, 4096)
	docs := make([]uint32, 0, batch)
	for len(cands) > 0 || len(groups) > 0 {
		theta := p.threshold()
		if len(groups) > 0 && (len(cands) == 0 || groups[0].bound >= cands[0].bound) {
			g := groups[0]
			groups = groups[1:]
			if g.bound >= theta {
				if err := p.scoreAll(ctx, rs, g.docs); err != nil {
					return err
				}
			}
			continue
		}
		if cands[0].bound < theta {
			cands = nil
			continue
		}
		docs = docs[:0]
		for len(docs) < batch && len(cands) > 0 && cands[0].bound >= theta {
			docs = append(docs, cands[0].doc)
			cands = cands[1:]
		}
		slices.Sort(docs)
		if err := p.score(ctx, rs, docs); err != nil {
			return err
		}
		batch *= 2
	}
	return nil
}

// rankGroup is matching articles of a segment with one bound: those with
// none of the cheap terms, with or without the tree's constant.
type rankGroup struct {
	bound float64
	docs  *roaring.Bitmap
}

// cheapScores adds up the scores of the cheap terms of the articles of m
// that have one, in sc, and groups the others by the constant they match.
func (rs *rankSegment) cheapScores(m *roaring.Bitmap, sc *segmentScratch) ([]rankGroup, error) {
	buf := make([]uint32, 1024)
	it := m.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, d := range buf[:n] {
			sc.in[d/64] |= 1 << (d % 64)
		}
	}
	for _, leaf := range rs.tree.leaves {
		if !leaf.scored || !leaf.cheap {
			continue
		}
		dict, err := rs.ss.Segment().Dictionary(leaf.field)
		if err != nil {
			return nil, err
		}
		pl, err := dict.PostingsList([]byte(leaf.term), rs.ss.Deleted(), nil)
		if err != nil {
			return nil, err
		}
		it := pl.Iterator(true, true, false, nil)
		for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
			if err != nil {
				return nil, err
			}
			d := uint32(p.Number())
			if sc.in[d/64]&(1<<(d%64)) == 0 {
				continue
			}
			if sc.cheap[d/64]&(1<<(d%64)) == 0 {
				sc.cheap[d/64] |= 1 << (d % 64)
				sc.seen = append(sc.seen, d)
			}
			sc.acc[d] += leaf.termScore(p)
		}
	}
	touched := roaring.New()
	touched.AddMany(sc.seen)
	rest := roaring.AndNot(m, touched)
	var groups []rankGroup
	add := func(docs *roaring.Bitmap, withConstant bool) {
		if !docs.IsEmpty() {
			b, _ := rs.tree.root.bound(withConstant)
			groups = append(groups, rankGroup{bound: b * (1 + 1e-9), docs: docs})
		}
	}
	if len(rs.tree.constants) == 0 {
		add(rest, false)
		return groups, nil
	}
	c := rs.tree.constants[0]
	with, err := rs.matches(c.kids[0])
	if err != nil {
		return nil, err
	}
	roaring.And(with, touched).Iterate(func(d uint32) bool {
		sc.acc[d] += c.score
		return true
	})
	add(roaring.And(rest, with), true)
	add(roaring.AndNot(rest, with), false)
	return groups, nil
}

// bound is more than n can score for an article without any cheap term,
// with or without the tree's constant, and whether n can match it.
func (n *rankNode) bound(withConstant bool) (float64, bool) {
	switch n.kind {
	case rankTerm:
		if n.cheap {
			return 0, false
		}
		return n.termBound(), true
	case rankAny:
		var sum float64
		matched := 0
		for _, k := range n.kids {
			if v, ok := k.bound(withConstant); ok {
				sum += v
				matched++
			}
		}
		if matched < n.min {
			return 0, false
		}
		return sum * float64(matched) / float64(len(n.kids)), true
	case rankAll:
		var sum float64
		for _, k := range n.kids {
			v, ok := k.bound(withConstant)
			if !ok {
				return 0, false
			}
			sum += v
		}
		return sum, true
	case rankBool:
		var sum float64
		if n.must != nil {
			v, ok := n.must.bound(withConstant)
			if !ok {
				return 0, false
			}
			sum += v
		}
		if n.should != nil {
			v, ok := n.should.bound(withConstant)
			if !ok && n.must == nil {
				return 0, false
			}
			sum += v
		}
		return sum, true
	case rankEvery:
		return n.score, true
	case rankConstant:
		return n.score, withConstant
	case rankPhrase:
		return n.kids[0].bound(withConstant)
	}
	return math.Inf(1), true
}

// bestBounds is the n articles of seen with the highest bounds (the
// cheap scores acc), in increasing order.
func bestBounds(seen []uint32, acc []float64, n int) []uint32 {
	h := &boundHeap{acc: acc}
	for _, d := range seen {
		switch {
		case len(h.docs) < n:
			heap.Push(h, d)
		case acc[d] > acc[h.docs[0]]:
			h.docs[0] = d
			heap.Fix(h, 0)
		}
	}
	slices.Sort(h.docs)
	return h.docs
}

// boundHeap holds articles, the lowest bound on top.
type boundHeap struct {
	docs []uint32
	acc  []float64
}

func (h *boundHeap) Len() int           { return len(h.docs) }
func (h *boundHeap) Less(i, j int) bool { return h.acc[h.docs[i]] < h.acc[h.docs[j]] }
func (h *boundHeap) Swap(i, j int)      { h.docs[i], h.docs[j] = h.docs[j], h.docs[i] }
func (h *boundHeap) Push(x any)         { h.docs = append(h.docs, x.(uint32)) }
func (h *boundHeap) Pop() any {
	x := h.docs[len(h.docs)-1]
	h.docs = h.docs[:len(h.docs)-1]
	return x
}

// threshold is the score an article must beat to reach the page: the
// page's last so far, or none while the page is not full.
func (p *rankPass) threshold() float64 {
	if len(p.top) < p.keep {
		return math.Inf(-1)
	}
	return p.top[0].key
}

// score scores the articles docs of a segment, in increasing order.
func (p *rankPass) score(ctx context.Context, rs *rankSegment, docs []uint32) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sc := rs.scorer()
	for _, d := range docs {
		if err := p.scoreOne(sc, rs, d); err != nil {
			return err
		}
	}
	return nil
}

// scoreAll scores every article of docs.
func (p *rankPass) scoreAll(ctx context.Context, rs *rankSegment, docs *roaring.Bitmap) error {
	sc := rs.scorer()
	var err error
	i := 0
	docs.Iterate(func(d uint32) bool {
		if i++; i%4096 == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		err = p.scoreOne(sc, rs, d)
		return err == nil
	})
	return err
}

// scoreOne scores article d of the segment and keeps it if it is among the
// best so far.
func (p *rankPass) scoreOne(sc *docScorer, rs *rankSegment, d uint32) error {
	v, ok, err := sc.score(p.tree.root, d)
	if err != nil || !ok {
		return err
	}
	m := dated{key: v, num: rs.match.offset + uint64(d)}
	switch {
	case len(p.top) < p.keep:
		heap.Push(&p.top, m)
	case m.before(p.top[0]):
		p.top[0] = m
		heap.Fix(&p.top, 0)
	}
	return nil
}
