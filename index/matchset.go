package index

import (
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	uq "kho/internal/query"
)

// A search sorted by date needs no scores, only the set of articles the
// query matches: bleve would still walk its searchers article by article.
// segmentMatcher computes that set for one segment from the postings of the
// query's terms, as bitmaps, the way compileQuery and matchNode define it
// (what they add only to the score is left out); browse then orders and
// counts the set from the columns.

// segmentMatcher finds the articles of one segment of snap that a query
// matches; offset is the number of the segment's first article in snap.
type segmentMatcher struct {
	snap   *scorch.IndexSnapshot
	seg    segment.Segment
	offset uint64
	dicts  map[string]segment.TermDictionary
}

func newSegmentMatcher(snap *scorch.IndexSnapshot, seg segment.Segment, offset uint64) *segmentMatcher {
	return &segmentMatcher{snap: snap, seg: seg, offset: offset, dicts: map[string]segment.TermDictionary{}}
}

// query is the set of articles n matches: all of them when n has no
// syllable, as buildQuery matches all when nothing must match. Deleted
// articles may be in it.
func (m *segmentMatcher) query(n uq.Node) (*roaring.Bitmap, error) {
	bm, err := m.node(n)
	if bm == nil && err == nil {
		bm = m.all()
	}
	return bm, err
}

// node is the set of articles n matches, nil when n has no syllable: such a
// node is left out of the query (matchNode returns nil for it).
func (m *segmentMatcher) node(n uq.Node) (*roaring.Bitmap, error) {
	switch n := n.(type) {
	case uq.Word:
		return m.phrase(analyzeWords(n.Text))
	case uq.Phrase:
		return m.phrase(phraseSyllables(n))
	case uq.Not:
		inner, err := m.node(n.Node)
		if inner == nil || err != nil {
			return nil, err
		}
		return roaring.AndNot(m.all(), inner), nil
	case uq.And:
		var must, mustNot []*roaring.Bitmap
		for _, child := range n.Nodes {
			not, isNot := child.(uq.Not)
			if isNot {
				child = not.Node
			}
			bm, err := m.node(child)
			switch {
			case err != nil:
				return nil, err
			case bm == nil:
			case isNot:
				mustNot = append(mustNot, bm)
			default:
				must = append(must, bm)
			}
		}
		if len(must) == 0 && len(mustNot) == 0 {
			return nil, nil
		}
		all := m.all()
		if len(must) > 0 {
			all = roaring.FastAnd(must...)
		}
		if len(mustNot) > 0 {
			all.AndNot(roaring.FastOr(mustNot...))
		}
		return all, nil
	case uq.Or:
		var alts []*roaring.Bitmap
		for _, child := range n.Nodes {
			bm, err := m.node(child)
			if err != nil {
				return nil, err
			}
			if bm != nil {
				alts = append(alts, bm)
			}
		}
		if len(alts) == 0 {
			return nil, nil
		}
		return roaring.FastOr(alts...), nil
	}
	return nil, nil
}

// phrase is the set phraseQuery matches: one syllable in any searched field;
// two neighbours as a pair term of one field; more, every pair in one field
// and the syllables next to each other in its stored text.
func (m *segmentMatcher) phrase(syls []syllable) (*roaring.Bitmap, error) {
	if len(syls) == 0 {
		return nil, nil
	}
	folded := make([]string, len(syls))
	for i, s := range syls {
		folded[i] = s.folded
	}
	var alts []*roaring.Bitmap
	for _, f := range SearchFields {
		if len(folded) == 1 {
			bm, err := m.term(f, folded[0])
			if err != nil {
				return nil, err
			}
			alts = append(alts, bm)
			continue
		}
		var all []*roaring.Bitmap
		for i := 1; i < len(folded); i++ {
			bm, err := m.term(f+PairsSuffix, pair(folded[i-1], folded[i]))
			if err != nil {
				return nil, err
			}
			all = append(all, bm)
		}
		bm := roaring.FastAnd(all...)
		if len(folded) > 2 {
			bm = m.withPhrase(bm, &chainedPhrase{stored: storedParts(f), folded: folded})
		}
		alts = append(alts, bm)
	}
	return roaring.FastOr(alts...), nil
}

// withPhrase keeps the candidates whose stored text has the phrase.
func (m *segmentMatcher) withPhrase(candidates *roaring.Bitmap, p *chainedPhrase) *roaring.Bitmap {
	out := roaring.New()
	it := candidates.Iterator()
	for it.HasNext() {
		n := it.Next()
		if p.storedHasPhrase(m.snap, bleveindex.NewIndexInternalID(nil, m.offset+uint64(n))) {
			out.Add(n)
		}
	}
	return out
}

// term is the set of articles with term in field. It may be the segment's
// own bitmap: never change it. roaring's And, Or and AndNot and their Fast
// forms (even of one bitmap) make new ones, and only those are changed.
func (m *segmentMatcher) term(field, term string) (*roaring.Bitmap, error) {
	dict, ok := m.dicts[field]
	if !ok {
		var err error
		if dict, err = m.seg.Dictionary(field); err != nil {
			return nil, fmt.Errorf("match: dictionary of %s: %w", field, err)
		}
		m.dicts[field] = dict
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, fmt.Errorf("match: postings of %s:%s: %w", field, term, err)
	}
	it := pl.Iterator(false, false, false, nil)
	if opt, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := opt.ActualBitmap(); bm != nil {
			return bm, nil
		}
		if n, ok := opt.DocNum1Hit(); ok {
			return roaring.BitmapOf(uint32(n)), nil
		}
	}
	out := roaring.New()
	for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
		if err != nil {
			return nil, fmt.Errorf("match: postings of %s:%s: %w", field, term, err)
		}
		out.Add(uint32(p.Number()))
	}
	return out, nil
}

// all is every article of the segment.
func (m *segmentMatcher) all() *roaring.Bitmap {
	bm := roaring.New()
	bm.AddRange(0, m.seg.Count())
	return bm
}
