package zapbuild

import (
	"errors"
	"hash/maphash"
	"math/bits"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
	zap "github.com/blevesearch/zapx/v17"
)

// Before scorch adds a batch, it asks every segment of the index which of
// its documents the batch replaces (DocNumbers): zap looks each of the
// batch's keys up in the segment's key dictionary, an FST walk of a few
// hundred nanoseconds. A bulk load asks a thousand keys of a few dozen
// segments for every batch, and finds nothing: 17 s of CPU at a million
// articles (BENCHMARKS.md). A Segment answers from a filter of its keys
// first, and asks zap only about the keys the filter may hold.

// Segment is a zap segment on disk whose DocNumbers filters the keys it
// is asked about. Everything else is zap's.
type Segment struct {
	*zap.Segment
	once   sync.Once
	filter keyFilter
	err    error
}

// Open opens a segment file as zap does.
func (p *Plugin) Open(path string) (segment.Segment, error) {
	return filtered(p.ZapPlugin.Open(path))
}

// OpenUsing opens a segment file as zap does, with scorch's segment
// configuration: how scorch opens every segment on disk.
func (p *Plugin) OpenUsing(path string, config map[string]any) (segment.Segment, error) {
	return filtered(p.ZapPlugin.OpenUsing(path, config))
}

func filtered(seg segment.Segment, err error) (segment.Segment, error) {
	if err != nil {
		return nil, err
	}
	if zs, ok := seg.(*zap.Segment); ok {
		return &Segment{Segment: zs}, nil
	}
	return seg, nil
}

// Unwrap is the zap segment seg is or holds.
func Unwrap(seg segment.Segment) segment.Segment {
	if s, ok := seg.(*Segment); ok {
		return s.Segment
	}
	return seg
}

// DocNumbers returns the numbers of the segment's documents with keys
// among ids.
func (s *Segment) DocNumbers(ids []string) (*roaring.Bitmap, error) {
	s.once.Do(s.buildFilter)
	if s.err != nil {
		return s.Segment.DocNumbers(ids)
	}
	var maybe []string
	for i, id := range ids {
		if s.filter.mayHold(id) {
			if maybe == nil {
				maybe = make([]string, 0, len(ids)-i)
			}
			maybe = append(maybe, id)
		}
	}
	if len(maybe) == 0 {
		return roaring.New(), nil
	}
	return s.Segment.DocNumbers(maybe)
}

// buildFilter reads the segment's keys into its filter, on first use:
// segments that are only searched never need one.
func (s *Segment) buildFilter() {
	dict, err := s.Segment.Dictionary("_id")
	if err != nil {
		s.err = err
		return
	}
	zd, ok := dict.(*zap.Dictionary)
	if !ok {
		s.err = errNoKeyDictionary
		return
	}
	s.filter = newKeyFilter(int(s.Segment.Count()))
	it := zd.AutomatonIteratorOmitCount(&vellum.AlwaysMatch{}, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			s.err = err
			return
		}
		if e == nil {
			return
		}
		s.filter.add(e.Term)
	}
}

var errNoKeyDictionary = errors.New("zapbuild: the segment's key dictionary is not zap's")

// keyFilter is a blocked Bloom filter of strings: each string sets
// filterProbes bits in one 512-bit block, so a lookup reads one cache line.
// At filterBitsPerKey bits a key, about one string in two hundred it never
// held passes (TestKeyFilterPassesFewStrangers).
type keyFilter struct {
	blocks [][8]uint64
	seed   maphash.Seed
}

const (
	filterBitsPerKey = 12
	filterProbes     = 5
)

func newKeyFilter(keys int) keyFilter {
	n := max(1, (keys*filterBitsPerKey+511)/512)
	return keyFilter{blocks: make([][8]uint64, n), seed: maphash.MakeSeed()}
}

// probe returns the block of s and the bits it sets there.
func (f *keyFilter) probe(s string) (block *[8]uint64, mask [8]uint64) {
	h := maphash.String(f.seed, s)
	hi, _ := bits.Mul64(h, uint64(len(f.blocks))) // the hash scaled to the blocks
	block = &f.blocks[hi]
	for i := range filterProbes {
		bit := (h >> (9 * i)) & 511
		mask[bit>>6] |= 1 << (bit & 63)
	}
	return block, mask
}

func (f *keyFilter) add(s string) {
	block, mask := f.probe(s)
	for i := range block {
		block[i] |= mask[i]
	}
}

// mayHold is false when the filter never held s.
func (f *keyFilter) mayHold(s string) bool {
	block, mask := f.probe(s)
	for i := range block {
		if block[i]&mask[i] != mask[i] {
			return false
		}
	}
	return true
}
