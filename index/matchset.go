package index

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Match sets: the articles of a segment that a query's tree (rankTree, as
// bleve would build its searchers) matches, computed from the postings' own
// roaring bitmaps of its terms instead of walking searchers article by
// article. Listings and searches by date need nothing else (browse.go);
// searches ranked by relevance score only some of the set (topk.go).

// rankSegment is one segment of a snapshot, for a search with tree.
// offset is the number of its first article in the snapshot.
type rankSegment struct {
	tree    *rankTree
	snap    *scorch.IndexSnapshot
	ss      *scorch.SegmentSnapshot
	offset  uint64
	dicts   map[string]segment.TermDictionary
	lists   map[*rankNode]segment.PostingsList
	bits    map[*rankNode]*roaring.Bitmap
	phrases map[phraseAt]bool          // checks of phrases outside bits
	seqs    map[*rankNode]*segmentSeqs // the phrases' sequence readers
}

func newRankSegment(t *rankTree, snap *scorch.IndexSnapshot, ss *scorch.SegmentSnapshot, offset uint64) *rankSegment {
	return &rankSegment{tree: t, snap: snap, ss: ss, offset: offset,
		dicts: map[string]segment.TermDictionary{}, lists: map[*rankNode]segment.PostingsList{},
		bits: map[*rankNode]*roaring.Bitmap{}}
}

// matching is the segment's live articles that match the tree (all of
// them without a tree) and pass f, counted into count as segment s. It may
// be the segment's own bitmap: never change it.
func (rs *rankSegment) matching(s int, f columnFilter, names nameFilter, count *facetCount) (*roaring.Bitmap, error) {
	live := rs.ss.DocNumbersLive()
	m := live
	if rs.tree != nil {
		bm, err := rs.matches(rs.tree.root)
		if err != nil {
			return nil, err
		}
		m = roaring.And(bm, live)
	}
	col := count.cols[s]
	m = f.keep(m, col, names.allows(col))
	count.addSet(s, m, live)
	return m, nil
}

// matches is the set of the segment's articles n matches, deleted ones
// included. It is kept for the search, and may be a term's own bitmap:
// never change it. roaring's And, Or and AndNot and their Fast forms (even
// of one bitmap) make new ones.
func (rs *rankSegment) matches(n *rankNode) (*roaring.Bitmap, error) {
	if bm, ok := rs.bits[n]; ok {
		return bm, nil
	}
	var bm *roaring.Bitmap
	var err error
	switch n.kind {
	case rankTerm:
		bm, err = rs.term(n)
	case rankAny, rankAll:
		kids := make([]*roaring.Bitmap, len(n.kids))
		for i, k := range n.kids {
			if kids[i], err = rs.matches(k); err != nil {
				return nil, err
			}
		}
		if n.kind == rankAny {
			bm = roaring.FastOr(kids...)
		} else {
			bm = roaring.FastAnd(kids...)
		}
	case rankBool:
		base := n.must
		if base == nil {
			base = n.should
		}
		if bm, err = rs.matches(base); err == nil && n.not != nil {
			var not *roaring.Bitmap
			if not, err = rs.matches(n.not); err == nil {
				bm = roaring.AndNot(bm, not)
			}
		}
	case rankEvery:
		bm = roaring.New()
		bm.AddRange(0, rs.ss.Segment().Count())
	case rankConstant:
		bm, err = rs.matches(n.kids[0])
	case rankPhrase:
		var inner *roaring.Bitmap
		if inner, err = rs.matches(n.kids[0]); err == nil {
			bm, err = rs.withPhrase(inner, n)
		}
	}
	if err != nil {
		return nil, err
	}
	rs.bits[n] = bm
	return bm, nil
}

// term is the set of articles with term n, deleted ones included.
func (rs *rankSegment) term(n *rankNode) (*roaring.Bitmap, error) {
	pl, err := rs.postingsList(n)
	if err != nil {
		return nil, err
	}
	it := pl.Iterator(false, false, false, nil)
	if opt, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := opt.ActualBitmap(); bm != nil {
			return bm, nil
		}
		if d, ok := opt.DocNum1Hit(); ok {
			return roaring.BitmapOf(uint32(d)), nil
		}
	}
	out := roaring.New()
	for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
		if err != nil {
			return nil, fmt.Errorf("match: postings of %s:%s: %w", n.field, n.term, err)
		}
		out.Add(uint32(p.Number()))
	}
	return out, nil
}

// scoredPostings reads the frequencies and norms of term n.
func (rs *rankSegment) scoredPostings(n *rankNode) (termPostings, error) {
	pl, err := rs.postingsList(n)
	if err != nil {
		return nil, err
	}
	return newTermPostings(pl), nil
}

// postingsList is term n's postings list, deleted articles included,
// looked up once for its match set and its scores.
func (rs *rankSegment) postingsList(n *rankNode) (segment.PostingsList, error) {
	if pl, ok := rs.lists[n]; ok {
		return pl, nil
	}
	dict, err := rs.dict(n.field)
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList([]byte(n.term), nil, nil)
	if err != nil {
		return nil, fmt.Errorf("match: postings of %s:%s: %w", n.field, n.term, err)
	}
	rs.lists[n] = pl
	return pl, nil
}

// dict is the segment's dictionary of field.
func (rs *rankSegment) dict(field string) (segment.TermDictionary, error) {
	dict, ok := rs.dicts[field]
	if !ok {
		var err error
		if dict, err = rs.ss.Segment().Dictionary(field); err != nil {
			return nil, fmt.Errorf("match: dictionary of %s: %w", field, err)
		}
		rs.dicts[field] = dict
	}
	return dict, nil
}

// withPhrase keeps the candidates that have phrase n. A phrase of common
// syllables in the text reads the sequences of most of the segment, so
// many candidates are shared out among the cores, each with a reader of
// its own.
func (rs *rankSegment) withPhrase(candidates *roaring.Bitmap, n *rankNode) (*roaring.Bitmap, error) {
	docs := candidates.ToArray()
	workers := 1
	if n.phrase.codes != nil {
		workers = max(1, min(runtime.GOMAXPROCS(0), int(uint64(len(docs))/phraseChecksPerWorker)))
	}
	if workers == 1 {
		return keepChecked(docs, func(d uint32) (bool, error) { return rs.checkPhrase(n, d) })
	}
	parts := make([]*roaring.Bitmap, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		docs := docs[len(docs)*w/workers : len(docs)*(w+1)/workers]
		wg.Go(func() {
			seqs, err := newSegmentSeqs(rs.ss.Segment(), n.phrase.codes)
			if err != nil {
				errs[w] = err
				return
			}
			parts[w], errs[w] = keepChecked(docs, func(d uint32) (bool, error) { return seqs.hasRun(uint64(d)) })
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return roaring.FastOr(parts...), nil
}

// phraseChecksPerWorker: fewer candidates than this per core are checked
// by the search's own goroutine. A variable for the tests.
var phraseChecksPerWorker uint64 = 20000

// keepChecked is the articles of docs that check keeps; it reuses docs.
func keepChecked(docs []uint32, check func(uint32) (bool, error)) (*roaring.Bitmap, error) {
	kept := docs[:0]
	for _, d := range docs {
		has, err := check(d)
		if err != nil {
			return nil, err
		}
		if has {
			kept = append(kept, d)
		}
	}
	return roaring.BitmapOf(kept...), nil
}
