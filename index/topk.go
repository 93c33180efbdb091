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
	seg   int
	doc   uint32
}

// rankGroup is matching articles of a segment with one bound: those with
// none of the cheap terms.
type rankGroup struct {
	bound float64
	seg   int
	docs  *roaring.Bitmap
}

// rankPass is one ranked search in one snapshot.
type rankPass struct {
	tree   *rankTree
	segs   []*rankSegment
	offset []uint64
	top    dateHeap // the best articles so far, key the score; the last on top
	keep   int
}

// top is the first keep articles of t's result, best first, with the number
// of matches and their facets.
func (t *rankTree) top(ctx context.Context, snap *scorch.IndexSnapshot, sc *snapshotColumns, f columnFilter, keep int) ([]dated, uint64, facetTally, error) {
	p := &rankPass{tree: t, offset: sc.offsets, keep: keep}
	count := &facetCount{snapshotColumns: sc, counts: make([][]int, len(sc.cols))}
	names := f.byNumber(sc)
	expensive := t.expensiveBound()
	var cands []rankCandidate
	var groups []rankGroup
	var total uint64
	for s, ss := range snap.Segments() {
		if err := ctx.Err(); err != nil {
			return nil, 0, facetTally{}, err
		}
		rs := newRankSegment(t, snap, ss, sc.offsets[s])
		p.segs = append(p.segs, rs)
		root, err := rs.matches(t.root)
		if err != nil {
			return nil, 0, facetTally{}, err
		}
		m := roaring.And(root, ss.DocNumbersLive())
		m = f.keep(m, sc.cols[s], names.allows(sc.cols[s]))
		total += m.GetCardinality()
		m.Iterate(func(n uint32) bool {
			count.add(s, uint64(n))
			return true
		})
		if m.IsEmpty() {
			continue
		}
		c, g, err := rs.candidates(m, s, expensive)
		if err != nil {
			return nil, 0, facetTally{}, err
		}
		cands = append(cands, c...)
		groups = append(groups, g...)
	}
	if err := p.run(ctx, cands, groups); err != nil {
		return nil, 0, facetTally{}, err
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

// accumulators are the per-article sums of a segment's cheap terms, kept
// for the next search: a million float64s are not worth allocating each
// time.
var accumulators = sync.Pool{New: func() any { return new([]float64) }}

// candidates are the articles of m with a cheap term, each with its bound,
// and the groups of those without, by the constants they match.
func (rs *rankSegment) candidates(m *roaring.Bitmap, seg int, expensive float64) ([]rankCandidate, []rankGroup, error) {
	n := int(rs.ss.Segment().Count())
	buf := accumulators.Get().(*[]float64)
	defer accumulators.Put(buf)
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	acc := (*buf)[:n]
	in := make([]uint64, (n+63)/64)
	m.Iterate(func(d uint32) bool {
		in[d/64] |= 1 << (d % 64)
		return true
	})
	first := make([]uint64, len(in)) // articles seen with a cheap term
	var seen []uint32
	for _, leaf := range rs.tree.leaves {
		if !leaf.scored || !leaf.cheap {
			continue
		}
		dict, err := rs.ss.Segment().Dictionary(leaf.field)
		if err != nil {
			return nil, nil, err
		}
		pl, err := dict.PostingsList([]byte(leaf.term), rs.ss.Deleted(), nil)
		if err != nil {
			return nil, nil, err
		}
		it := pl.Iterator(true, true, false, nil)
		for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
			if err != nil {
				return nil, nil, err
			}
			d := uint32(p.Number())
			if in[d/64]&(1<<(d%64)) == 0 {
				continue
			}
			if first[d/64]&(1<<(d%64)) == 0 {
				first[d/64] |= 1 << (d % 64)
				seen = append(seen, d)
			}
			acc[d] += leaf.termScore(p)
		}
	}
	touched := roaring.New()
	touched.AddMany(seen)
	rest := roaring.AndNot(m, touched)
	var groups []rankGroup
	add := func(docs *roaring.Bitmap, withConstant bool) {
		if !docs.IsEmpty() {
			b, _ := rs.tree.root.bound(withConstant)
			groups = append(groups, rankGroup{bound: b * (1 + 1e-9), seg: seg, docs: docs})
		}
	}
	if len(rs.tree.constants) == 0 {
		add(rest, false)
	} else {
		c := rs.tree.constants[0]
		with, err := rs.matches(c.kids[0])
		if err != nil {
			return nil, nil, err
		}
		roaring.And(with, touched).Iterate(func(d uint32) bool {
			acc[d] += c.score
			return true
		})
		add(roaring.And(rest, with), true)
		add(roaring.AndNot(rest, with), false)
	}
	cands := make([]rankCandidate, len(seen))
	for i, d := range seen {
		cands[i] = rankCandidate{bound: acc[d] + expensive, seg: seg, doc: d}
		acc[d] = 0
	}
	return cands, groups, nil
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

// run scores candidates and groups in the order of their bounds until
// none left can reach the page.
func (p *rankPass) run(ctx context.Context, cands []rankCandidate, groups []rankGroup) error {
	byBound := func(a, b rankCandidate) int {
		switch {
		case a.bound > b.bound:
			return -1
		case a.bound < b.bound:
			return 1
		}
		return 0
	}
	// A first batch, the best bounds, sets a threshold that usually
	// rules out all but a few of the rest.
	first := max(64, 4*p.keep)
	if len(cands) > first {
		cands = selectBest(cands, first, byBound)
		if err := p.score(ctx, cands[:first]); err != nil {
			return err
		}
		cands = cands[first:]
	}
	slices.SortFunc(groups, func(a, b rankGroup) int {
		return byBound(rankCandidate{bound: a.bound}, rankCandidate{bound: b.bound})
	})
	cands = slices.DeleteFunc(cands, func(c rankCandidate) bool { return c.bound < p.threshold() })
	slices.SortFunc(cands, byBound)
	batch := first
	for len(cands) > 0 || len(groups) > 0 {
		theta := p.threshold()
		if len(groups) > 0 && (len(cands) == 0 || groups[0].bound >= cands[0].bound) {
			g := groups[0]
			groups = groups[1:]
			if g.bound < theta {
				continue
			}
			if err := p.scoreGroup(ctx, g); err != nil {
				return err
			}
			continue
		}
		if cands[0].bound < theta {
			cands = nil
			continue
		}
		n := min(batch, len(cands))
		for n > 0 && cands[n-1].bound < theta {
			n--
		}
		if err := p.score(ctx, cands[:n]); err != nil {
			return err
		}
		cands = cands[n:]
		batch *= 2
	}
	return nil
}

// threshold is the score an article must beat to reach the page: the
// page's last so far, or none while the page is not full.
func (p *rankPass) threshold() float64 {
	if len(p.top) < p.keep {
		return math.Inf(-1)
	}
	return p.top[0].key
}

// selectBest moves the n best of cs, by cmp, to the front, sorted.
func selectBest(cs []rankCandidate, n int, cmp func(a, b rankCandidate) int) []rankCandidate {
	if len(cs) <= 4*n {
		slices.SortFunc(cs, cmp)
		return cs
	}
	// Keep the n best seen in a heap, the worst of them on top.
	h := &candidateHeap{cs: cs, cmp: cmp}
	for i, c := range cs {
		switch {
		case len(h.idx) < n:
			heap.Push(h, i)
		case cmp(c, cs[h.idx[0]]) < 0:
			h.idx[0] = i
			heap.Fix(h, 0)
		}
	}
	best := make([]rankCandidate, 0, len(cs))
	taken := make([]bool, len(cs))
	for _, i := range h.idx {
		best = append(best, cs[i])
		taken[i] = true
	}
	slices.SortFunc(best, cmp)
	for i, c := range cs {
		if !taken[i] {
			best = append(best, c)
		}
	}
	return best
}

type candidateHeap struct {
	cs  []rankCandidate
	idx []int
	cmp func(a, b rankCandidate) int
}

func (h *candidateHeap) Len() int { return len(h.idx) }
func (h *candidateHeap) Less(i, j int) bool {
	return h.cmp(h.cs[h.idx[i]], h.cs[h.idx[j]]) > 0
}
func (h *candidateHeap) Swap(i, j int) { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *candidateHeap) Push(x any)    { h.idx = append(h.idx, x.(int)) }
func (h *candidateHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// score scores the candidates exactly, segment by segment, in order.
func (p *rankPass) score(ctx context.Context, cs []rankCandidate) error {
	bySeg := map[int][]uint32{}
	for _, c := range cs {
		bySeg[c.seg] = append(bySeg[c.seg], c.doc)
	}
	for s, docs := range bySeg {
		if err := ctx.Err(); err != nil {
			return err
		}
		slices.Sort(docs)
		sc := p.segs[s].scorer()
		for _, d := range docs {
			if err := p.scoreOne(sc, s, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// scoreGroup scores every article of g.
func (p *rankPass) scoreGroup(ctx context.Context, g rankGroup) error {
	sc := p.segs[g.seg].scorer()
	var err error
	i := 0
	g.docs.Iterate(func(d uint32) bool {
		if i++; i%4096 == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		err = p.scoreOne(sc, g.seg, d)
		return err == nil
	})
	return err
}

// scoreOne scores article d of segment s and keeps it if it is among the
// best so far.
func (p *rankPass) scoreOne(sc *docScorer, s int, d uint32) error {
	v, ok, err := sc.score(p.tree.root, d)
	if err != nil || !ok {
		return err
	}
	m := dated{key: v, num: p.offset[s] + uint64(d)}
	switch {
	case len(p.top) < p.keep:
		heap.Push(&p.top, m)
	case m.before(p.top[0]):
		p.top[0] = m
		heap.Fix(&p.top, 0)
	}
	return nil
}
