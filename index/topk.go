package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// The page of a ranked search without scoring every match (rank.go). An
// article's score is the sum of its terms' scores, each scaled down by the
// share of its siblings that match (never up). The title's terms have few
// postings: their scores are read for every match, and a term of the body
// adds at most its bound (BM25 saturates: a term's score stays under
// idf·k1 whatever its frequency). So an article's score is at most what its
// title terms give plus the body's bounds, and at least what its title
// terms surely give. The lower bounds of the best articles set a floor
// under the page's last score; then the articles are taken in the order of
// their numbers, so each segment's postings are read once, and scored only
// when their bound reaches the page so far. An article whose title has none
// of the query's terms has the same bound as every other such article: they
// are scored together, if at all. On a million articles, a search of
// common syllables scores a few hundred of its hundreds of thousands of
// matches.

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
	res, err = pageOf(snap, page, total, from, ix.pageRequest(nil, from, size, true))
	if err != nil {
		return nil, facetTally{}, "", false, err
	}
	return res, counts, suggestion, true, nil
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
	count := &facetCount{columnCursor: columnCursor{snapshotColumns: sc}, counts: make([][]int, len(sc.cols))}
	names := f.byNumber(sc)
	var total uint64
	for s, ss := range snap.Segments() {
		if err := ctx.Err(); err != nil {
			return nil, 0, facetTally{}, err
		}
		rs := newRankSegment(t, snap, ss, sc.offsets[s])
		m, err := rs.matching(s, f, names, count)
		if err != nil {
			return nil, 0, facetTally{}, err
		}
		total += m.GetCardinality()
		if m.IsEmpty() {
			continue
		}
		if err := p.segment(ctx, rs, m); err != nil {
			return nil, 0, facetTally{}, err
		}
	}
	return p.top.best(), total, count.tally(), nil
}

// keep is the articles of m that pass the filter's dates, sources and
// categories (allowed: by facet term, nil for all).
func (f columnFilter) keep(m *roaring.Bitmap, col *segmentColumns, allowed []bool) *roaring.Bitmap {
	if allowed == nil && !f.dated {
		return m
	}
	out := roaring.New()
	kept := make([]uint32, 0, 1024)
	eachMany(m, func(docs []uint32) {
		kept = kept[:0]
		for _, n := range docs {
			if f.passes(col, allowed, n) {
				kept = append(kept, n)
			}
		}
		out.AddMany(kept)
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

// cheapDoc is an article with a cheap term: the upper sum of its cheap
// terms' scores, and what they surely add (rankNode.low).
type cheapDoc struct {
	doc      uint32
	acc, low float64
}

// cheapBlock is how many articles' cheap sums cheapScores keeps at a time:
// few enough to stay in the processor's cache.
const cheapBlock = 8192

// segmentScratch is what ranking a segment needs, kept for the next
// search: a bit set of a million articles is not worth allocating each
// time.
type segmentScratch struct {
	in       []uint64   // bit set: the match set
	docs     []cheapDoc // the matches with a cheap term, in order
	acc, low [cheapBlock]float64
	hit      [cheapBlock / 64]uint64 // the block's articles with a cheap term
}

var scratches = sync.Pool{New: func() any { return new(segmentScratch) }}

// grow sizes the scratch for n articles, all out.
func (sc *segmentScratch) grow(n int) {
	words := (n + 63) / 64
	if cap(sc.in) < words {
		sc.in = make([]uint64, words)
	}
	sc.in = sc.in[:words]
	clear(sc.in)
	sc.takeBlock(0) // what a search that failed in the middle of a block left
	sc.docs = sc.docs[:0]
}

// takeBlock appends the block's articles with a cheap term, the block
// starting at base, to docs, and empties the block.
func (sc *segmentScratch) takeBlock(base uint32) {
	for w, word := range sc.hit {
		for ; word != 0; word &= word - 1 {
			j := uint32(w*64 + bits.TrailingZeros64(word))
			sc.docs = append(sc.docs, cheapDoc{doc: base + j, acc: sc.acc[j], low: sc.low[j]})
			sc.acc[j], sc.low[j] = 0, 0
		}
		sc.hit[w] = 0
	}
}

// segment ranks the articles m of one segment into the page: in the order
// of their numbers, each read of the postings going on from the last, and
// each article scored only if its bound reaches the page so far. Before
// any is scored, the lower bounds of the best articles by their cheap terms
// say how high the page's last score will at least be.
func (p *rankPass) segment(ctx context.Context, rs *rankSegment, m *roaring.Bitmap) error {
	sc := scratches.Get().(*segmentScratch)
	defer scratches.Put(sc)
	sc.grow(int(rs.ss.Segment().Count()))
	groups, err := rs.cheapScores(m, sc)
	if err != nil {
		return err
	}
	floor := kthBest(sc.docs, p.keep)
	theta := func() float64 { return max(p.threshold(), floor) }
	scorer := rs.scorer()
	for i, cd := range sc.docs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if cd.acc+p.bound < theta() {
			continue
		}
		if err := p.scoreOne(scorer, rs, cd.doc); err != nil {
			return err
		}
	}
	slices.SortFunc(groups, func(a, b rankGroup) int { return cmp.Compare(b.bound, a.bound) })
	for _, g := range groups {
		if g.bound < theta() {
			break
		}
		if err := p.scoreAll(ctx, rs, g, theta); err != nil {
			return err
		}
	}
	return nil
}

// kthBest is the k-th highest lower bound of docs, -Inf when there are
// fewer.
func kthBest(docs []cheapDoc, k int) float64 {
	if len(docs) < k || k <= 0 {
		return math.Inf(-1)
	}
	var best dateHeap
	for _, cd := range docs {
		best.offer(dated{key: cd.low, num: uint64(cd.doc)}, k)
	}
	return best[0].key
}

// rankGroup is matching articles of a segment with one bound: those with
// none of the cheap terms, with or without the tree's constant.
type rankGroup struct {
	bound float64
	docs  *roaring.Bitmap
}

// cheapScores adds up the scores of the cheap terms of the articles of m
// that have one, in sc.docs, and groups the others by the constant they
// match. The sums are made a block of articles at a time: a sum per
// article of the segment cost a cache miss per posting.
func (rs *rankSegment) cheapScores(m *roaring.Bitmap, sc *segmentScratch) ([]rankGroup, error) {
	m.WriteDenseTo(sc.in) // a bitmap container is copied, not walked
	var terms []cheapTerm
	var withCheap []*roaring.Bitmap // the cheap terms' articles
	for _, leaf := range rs.tree.leaves {
		if !leaf.scored || !leaf.cheap {
			continue
		}
		bm, err := rs.matches(leaf)
		if err != nil {
			return nil, err
		}
		withCheap = append(withCheap, bm)
		p, err := rs.scoredPostings(leaf)
		if err != nil {
			return nil, err
		}
		t := cheapTerm{leaf: leaf, p: p}
		if err := t.next(); err != nil {
			return nil, err
		}
		if t.ok {
			terms = append(terms, t)
		}
	}
	// A block of articles at a time, each term's postings in it in turn.
	for len(terms) > 0 {
		first := terms[0].doc
		for _, t := range terms[1:] {
			first = min(first, t.doc)
		}
		base := first - first%cheapBlock
		limit := uint64(base) + cheapBlock
		for i := range terms {
			t := &terms[i]
			for t.ok && uint64(t.doc) < limit {
				if d := t.doc; sc.in[d/64]&(1<<(d%64)) != 0 {
					j := d - base
					sc.hit[j/64] |= 1 << (j % 64)
					v := t.leaf.termScore(t.freq, t.norm)
					sc.acc[j] += v
					sc.low[j] += v * t.leaf.low
				}
				if err := t.next(); err != nil {
					return nil, err
				}
			}
		}
		sc.takeBlock(base)
		terms = slices.DeleteFunc(terms, func(t cheapTerm) bool { return !t.ok })
	}
	rest := roaring.AndNot(m, roaring.FastOr(withCheap...))
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
	wit := with.Iterator()
	for i := range sc.docs {
		cd := &sc.docs[i]
		if wit.AdvanceIfNeeded(cd.doc); wit.HasNext() && wit.PeekNext() == cd.doc {
			cd.acc += c.score
			cd.low += c.score * c.low
		}
	}
	add(roaring.And(rest, with), true)
	add(roaring.AndNot(rest, with), false)
	return groups, nil
}

// cheapTerm reads a cheap term's postings in article order.
type cheapTerm struct {
	leaf *rankNode
	p    termPostings
	doc  uint32
	freq uint64
	norm float64
	ok   bool // false after the last posting
}

func (t *cheapTerm) next() error {
	var err error
	t.doc, t.freq, t.norm, t.ok, err = t.p.next()
	if err != nil {
		return fmt.Errorf("rank: postings of %s:%s: %w", t.leaf.field, t.leaf.term, err)
	}
	return nil
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

// threshold is the score an article must beat to reach the page: the
// page's last so far, or none while the page is not full.
func (p *rankPass) threshold() float64 {
	if len(p.top) < p.keep {
		return math.Inf(-1)
	}
	return p.top[0].key
}

// scoreAll scores the articles of g, all or until the page's last score
// theta is above their bound.
func (p *rankPass) scoreAll(ctx context.Context, rs *rankSegment, g rankGroup, theta func() float64) error {
	sc := rs.scorer()
	var err error
	i := 0
	g.docs.Iterate(func(d uint32) bool {
		if i++; i%4096 == 0 {
			if err = ctx.Err(); err != nil {
				return false
			}
		}
		if g.bound < theta() {
			return false
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
	p.top.offer(dated{key: v, num: rs.offset + uint64(d)}, p.keep)
	return nil
}
