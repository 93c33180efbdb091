package index

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Ranking by relevance without bleve's searchers. bleve scores every match
// of a query through a tree of searchers, one per term (a syllable in two
// fields, pairs, exact forms: ten to twenty), each match passing through
// each searcher: on a million articles a query of common syllables matches
// hundreds of thousands, and costs hundreds of milliseconds, though the page
// shows ten. rankTree computes the very scores bleve computes (the same
// BM25, weights, query norm, coordination and order of sums), but only for
// the articles that can reach the page (topk.go): the match set comes from
// the postings' bitmaps, and a bound on each article's score, from its few
// title terms, rules most of them out unscored.

// rankKind is the kind of bleve searcher a rankNode stands for.
type rankKind uint8

const (
	rankTerm     rankKind = iota // a term searcher
	rankAny                      // a disjunction: the sum of the matching children, times the share of children that match
	rankAll                      // a conjunction: every child, the sum
	rankBool                     // must, should and must not
	rankEvery                    // match all: a constant
	rankConstant                 // constantScore: what its child matches, with a constant score
	rankPhrase                   // chainedPhrase: its child, when the phrase checks out
)

// rankNode is one searcher of the tree bleve would build for a query.
type rankNode struct {
	kind              rankKind
	kids              []*rankNode // rankAny, rankAll: in bleve's order; rankConstant, rankPhrase: the one child
	must, should, not *rankNode   // rankBool; should and not may be nil, must nil only with should
	min               int         // rankAny: how many children must match
	count             uint64      // bleve's Count(), which orders children
	weight            float64     // bleve's Weight(): the squared weights the query norm divides by

	// rankTerm
	field, term   string
	boost, idf    float64
	avgLen        float64 // the field's average length; 0: tf-idf, as bleve without field lengths
	queryWeight   float64
	leaf          int  // index in rankTree.leaves
	cheap, scored bool // cheap: few postings (topk.go); scored: adds to the score

	score  float64        // rankEvery, rankConstant: the score
	phrase *chainedPhrase // rankPhrase

	// low: an article that matches the query and this node gets at least
	// low times the node's own score from it (lowScales).
	low float64
}

// rankTree is a query's searcher tree with its statistics.
type rankTree struct {
	root      *rankNode
	leaves    []*rankNode // every term
	constants []*rankNode // every rankConstant
	docs      uint64      // live articles in the snapshot
}

// errUnranked marks a query rankTree does not handle; bleve ranks it.
var errUnranked = fmt.Errorf("rank: query not handled")

// newRankTree builds q's tree in snap as bleve would, with the statistics
// bleve's term searchers would read. errUnranked: some part of q is not
// handled here.
func newRankTree(snap *scorch.IndexSnapshot, q query.Query) (*rankTree, error) {
	t, err := buildTree(snap, q, true)
	if err != nil {
		return nil, err
	}
	if t.root.kind == rankTerm || t.root.kind == rankEvery || t.root.weight == 0 || len(t.constants) > 1 {
		return nil, errUnranked // bleve would not normalize such a tree the same way
	}
	// The root's norm reaches every term that scores: each composite
	// searcher passes its parent's norm down; a constant does not.
	norm := 1.0 / math.Sqrt(t.root.weight)
	t.root.visit(func(n *rankNode) bool {
		switch n.kind {
		case rankConstant:
			return false
		case rankTerm:
			n.scored = true
			n.queryWeight = n.boost * n.idf * norm
		case rankEvery:
			n.score = 1.0
			if qw := n.boost * norm; qw != 1.0 {
				n.score *= qw
			}
		}
		return true
	})
	t.root.lowScales(1, true)
	return t, nil
}

// newMatchTree builds q's tree in snap for its match sets only
// (matchset.go): without the statistics scores need.
func newMatchTree(snap *scorch.IndexSnapshot, q query.Query) (*rankTree, error) {
	return buildTree(snap, q, false)
}

func buildTree(snap *scorch.IndexSnapshot, q query.Query, scored bool) (*rankTree, error) {
	docs, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	t := &rankTree{docs: docs}
	b := &rankBuilder{tree: t, snap: snap, scored: scored, avgLen: map[string]float64{}}
	if t.root, err = b.node(q); err != nil {
		return nil, err
	}
	return t, nil
}

// lowScales sets low for n, whose score counts at least scale times when
// it matches; sure says that every article of the result matches n (the
// path from the root holds only musts). A disjunction that matches counts,
// each matching child at least once in its number of children (its
// coordination); the children of a conjunction or the parts of a bool count
// only if it surely matches; a phrase's pairs only if the phrase does.
func (n *rankNode) lowScales(scale float64, sure bool) {
	n.low = scale
	switch n.kind {
	case rankAny:
		for _, k := range n.kids {
			k.lowScales(scale/float64(len(n.kids)), false)
		}
	case rankAll, rankPhrase:
		for _, k := range n.kids {
			k.lowScales(scaleIf(sure, scale), sure)
		}
	case rankBool:
		if n.must != nil {
			n.must.lowScales(scaleIf(sure, scale), sure)
		}
		if n.should != nil {
			n.should.lowScales(scaleIf(sure, scale), sure && n.must == nil)
		}
	}
}

func scaleIf(sure bool, scale float64) float64 {
	if sure {
		return scale
	}
	return 0
}

// visit calls f on n and, while f says so, on the nodes below it that can
// add to the score (not those a bool excludes).
func (n *rankNode) visit(f func(*rankNode) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, k := range n.kids {
		k.visit(f)
	}
	if n.kind == rankBool {
		n.must.visit(f)
		n.should.visit(f)
	}
}

type rankBuilder struct {
	tree   *rankTree
	snap   *scorch.IndexSnapshot
	scored bool // read the terms' statistics
	avgLen map[string]float64
}

// node mirrors q's Searcher method: the same optimizations, the same
// children, the same order.
func (b *rankBuilder) node(q query.Query) (*rankNode, error) {
	switch q := q.(type) {
	case *query.TermQuery:
		return b.termNode(q.Field(), q.Term, q.BoostVal.Value())
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return nil, errUnranked
		}
		n, err := b.composite(rankAny, q.Disjuncts)
		if n != nil {
			n.min = 1
		}
		return n, err
	case *query.ConjunctionQuery:
		return b.composite(rankAll, q.Conjuncts)
	case *query.BooleanQuery:
		return b.boolNode(q)
	case *query.MatchAllQuery:
		return &rankNode{kind: rankEvery, boost: q.BoostVal.Value(), count: b.tree.docs,
			weight: q.BoostVal.Value() * q.BoostVal.Value()}, nil
	case *constantScore:
		inner, err := b.node(q.q)
		if err != nil {
			return nil, err
		}
		n := &rankNode{kind: rankConstant, kids: []*rankNode{inner}, count: inner.count, score: q.score}
		b.tree.constants = append(b.tree.constants, n)
		return n, nil
	case *chainedPhrase:
		inner, err := b.node(q.candidates)
		if err != nil {
			return nil, err
		}
		return &rankNode{kind: rankPhrase, kids: []*rankNode{inner}, count: inner.count,
			weight: inner.weight, phrase: q}, nil
	}
	return nil, errUnranked
}

// termNode is a term searcher with bleve's BM25 statistics: the live
// articles, those with the term, and the field's average length rounded up.
func (b *rankBuilder) termNode(field, term string, boost float64) (*rankNode, error) {
	if !b.scored {
		n := &rankNode{kind: rankTerm, field: field, term: term, boost: boost, leaf: len(b.tree.leaves)}
		b.tree.leaves = append(b.tree.leaves, n)
		return n, nil
	}
	tfr, err := b.snap.TermFieldReader(nil, []byte(term), field, false, false, false)
	if err != nil {
		return nil, err
	}
	docTerm := tfr.Count()
	if err := tfr.Close(); err != nil {
		return nil, err
	}
	avg, ok := b.avgLen[field]
	if !ok {
		card, err := b.snap.FieldCardinality(field)
		if err != nil {
			return nil, err
		}
		if b.tree.docs > 0 {
			avg = math.Ceil(float64(card) / float64(b.tree.docs))
		}
		b.avgLen[field] = avg
	}
	n := &rankNode{kind: rankTerm, field: field, term: term, boost: boost, avgLen: avg,
		count: docTerm, leaf: len(b.tree.leaves)}
	docTotal := b.tree.docs
	if avg > 0 {
		n.idf = math.Log(1 + (float64(docTotal)-float64(docTerm)+0.5)/(float64(docTerm)+0.5))
	} else {
		n.idf = 1.0 + math.Log(float64(docTotal)/float64(docTerm+1.0))
	}
	sum := boost * n.idf
	n.weight = sum * sum
	n.cheap = strings.HasPrefix(field, FieldTitle) || docTerm*16 <= docTotal
	b.tree.leaves = append(b.tree.leaves, n)
	return n, nil
}

// composite is a disjunction or a conjunction of qs, its children sorted by
// count as bleve's searchers sort them (the order their scores are added in).
func (b *rankBuilder) composite(kind rankKind, qs []query.Query) (*rankNode, error) {
	if len(qs) == 0 {
		return nil, errUnranked // bleve: match none
	}
	n := &rankNode{kind: kind}
	for _, q := range qs {
		k, err := b.node(q)
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	sort.Sort(searcherOrder(n.kids))
	for _, k := range n.kids {
		n.count += k.count
		n.weight += k.weight
	}
	return n, nil
}

// searcherOrder sorts as bleve's OrderedSearcherList: sort.Sort on the same
// order gives the same permutation.
type searcherOrder []*rankNode

func (s searcherOrder) Len() int           { return len(s) }
func (s searcherOrder) Less(i, j int) bool { return s[i].count < s[j].count }
func (s searcherOrder) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// boolNode mirrors BooleanQuery.Searcher: a lone must or should stands for
// the whole; must not alone matches against all articles.
func (b *rankBuilder) boolNode(q *query.BooleanQuery) (*rankNode, error) {
	if q.Filter != nil {
		return nil, errUnranked
	}
	part := func(q query.Query) (*rankNode, error) {
		if q == nil {
			return nil, nil
		}
		return b.node(q)
	}
	must, err := part(q.Must)
	if err != nil {
		return nil, err
	}
	should, err := part(q.Should)
	if err != nil {
		return nil, err
	}
	not, err := part(q.MustNot)
	if err != nil {
		return nil, err
	}
	switch {
	case must == nil && should == nil:
		if not == nil {
			return nil, errUnranked
		}
		must = &rankNode{kind: rankEvery, boost: 1, count: b.tree.docs, weight: 1}
	case not == nil && should == nil:
		return must, nil
	case not == nil && must == nil:
		return should, nil
	}
	n := &rankNode{kind: rankBool, must: must, should: should, not: not}
	for _, k := range []*rankNode{must, should} {
		if k != nil {
			n.count += k.count
			n.weight += k.weight
		}
	}
	return n, nil
}

// termScore is what bleve's term scorer gives an article with posting p.
func (n *rankNode) termScore(freq uint64, norm float64) float64 {
	var tf float64
	if freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(freq)]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	var score float64
	if n.avgLen > 0 {
		fieldLength := 1 / (norm * norm)
		score = n.idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/n.avgLen)))
	} else {
		score = tf * norm * n.idf
	}
	if n.queryWeight != 1.0 {
		score = score * n.queryWeight
	}
	return score
}

// termBound is more than termScore can give any article: BM25's term
// frequency part stays under k1 (tf-idf's is not bounded: no bound).
func (n *rankNode) termBound() float64 {
	if n.avgLen <= 0 {
		return math.Inf(1)
	}
	return n.idf * search.BM25_k1 * n.queryWeight * (1 + 1e-9)
}

// docScorer reads the postings of the tree's scored terms for articles taken
// in increasing order.
type docScorer struct {
	rs    *rankSegment
	terms []termPostings // by leaf, read when first needed
}

func (rs *rankSegment) scorer() *docScorer {
	return &docScorer{rs: rs, terms: make([]termPostings, len(rs.tree.leaves))}
}

// termScore is term n's score in article doc, and whether doc has it.
// Articles must come in increasing order.
func (s *docScorer) termScore(n *rankNode, doc uint32) (float64, bool, error) {
	p := s.terms[n.leaf]
	if p == nil {
		var err error
		if p, err = s.rs.scoredPostings(n); err != nil {
			return 0, false, err
		}
		s.terms[n.leaf] = p
	}
	freq, norm, ok, err := p.at(doc)
	if err != nil {
		return 0, false, fmt.Errorf("rank: postings of %s:%s: %w", n.field, n.term, err)
	}
	if !ok {
		return 0, false, nil
	}
	return n.termScore(freq, norm), true, nil
}

// score is bleve's score of n for article doc, and whether n matches it.
func (s *docScorer) score(n *rankNode, doc uint32) (float64, bool, error) {
	switch n.kind {
	case rankTerm:
		return s.termScore(n, doc)
	case rankAny:
		var sum float64
		matched := 0
		for _, k := range n.kids {
			v, ok, err := s.score(k, doc)
			if err != nil {
				return 0, false, err
			}
			if ok {
				sum += v
				matched++
			}
		}
		if matched < n.min {
			return 0, false, nil
		}
		coord := float64(matched) / float64(len(n.kids))
		return sum * coord, true, nil
	case rankAll:
		var sum float64
		for _, k := range n.kids {
			v, ok, err := s.score(k, doc)
			if !ok || err != nil {
				return 0, false, err
			}
			sum += v
		}
		return sum, true, nil
	case rankBool:
		if n.not != nil {
			not, err := s.rs.matches(n.not)
			if err != nil || not.Contains(doc) {
				return 0, false, err
			}
		}
		var must float64
		if n.must != nil {
			v, ok, err := s.score(n.must, doc)
			if !ok || err != nil {
				return 0, false, err
			}
			must = v
		}
		if n.should == nil {
			return 0 + must, true, nil
		}
		v, ok, err := s.score(n.should, doc)
		switch {
		case err != nil:
			return 0, false, err
		case ok && n.must != nil:
			return 0 + must + v, true, nil
		case ok:
			return 0 + v, true, nil
		case n.must == nil:
			return 0, false, nil
		}
		return 0 + must, true, nil
	case rankEvery:
		return n.score, true, nil
	case rankConstant:
		bm, err := s.rs.matches(n.kids[0])
		if err != nil || !bm.Contains(doc) {
			return 0, false, err
		}
		return n.score, true, nil
	case rankPhrase:
		v, ok, err := s.score(n.kids[0], doc)
		if !ok || err != nil {
			return 0, false, err
		}
		if has, err := s.rs.hasPhrase(n, doc); !has || err != nil {
			return 0, false, err
		}
		return v, true, nil
	}
	return 0, false, fmt.Errorf("rank: node kind %d", n.kind)
}

// hasPhrase reports whether article doc has n's phrase: from the phrase's
// match set when the query needed it, else from the article's text.
func (rs *rankSegment) hasPhrase(n *rankNode, doc uint32) (bool, error) {
	if bm, ok := rs.bits[n]; ok {
		return bm.Contains(doc), nil
	}
	return rs.checkPhrase(n, doc)
}

// checkPhrase reads article doc's syllable sequence, or its stored title,
// for n's phrase. A title's answer is remembered: reading a stored
// document costs tens of microseconds, a sequence a fraction of one.
func (rs *rankSegment) checkPhrase(n *rankNode, doc uint32) (bool, error) {
	if n.phrase.codes != nil {
		seqs, ok := rs.seqs[n]
		if !ok {
			var err error
			if seqs, err = newSegmentSeqs(rs.ss.Segment(), n.phrase.codes); err != nil {
				return false, err
			}
			if rs.seqs == nil {
				rs.seqs = map[*rankNode]*segmentSeqs{}
			}
			rs.seqs[n] = seqs
		}
		return seqs.hasRun(uint64(doc))
	}
	if rs.phrases == nil {
		rs.phrases = map[phraseAt]bool{}
	}
	has, ok := rs.phrases[phraseAt{n, doc}]
	if !ok {
		has = n.phrase.storedHasPhrase(rs.snap, bleveindex.NewIndexInternalID(nil, rs.offset+uint64(doc)))
		rs.phrases[phraseAt{n, doc}] = has
	}
	return has, nil
}

// phraseAt is a phrase node's check of one article.
type phraseAt struct {
	n   *rankNode
	doc uint32
}
