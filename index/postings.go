package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// A term's frequencies and norms in a segment, read straight from zap's
// layout. zap's PostingsIterator.Advance walks every posting on its way to
// the article asked for (a roaring Next, a division and two varints each),
// so scoring a few hundred articles of a segment cost a pass over each
// body term's postings: 40 % of a search's CPU at a million articles. zap
// keeps a term's frequencies and norms in chunks of consecutive article
// numbers, with the chunks' ends up front, and the term's bitmap says how
// many postings come before an article: the reader jumps to the article's
// chunk and skips varints up to it.
//
// The layout is zap v17's (posting.go, intDecoder.go): per posting a
// varint freq<<1|hasLocs, then, when freq > 0, a varint of the field's
// length (zapNorm). The fields it needs are unexported; zapFields finds them
// by name and type when the package starts. Where they are not there
// (another zap) or a reader hook transforms the files, terms are read
// through zap's iterator as before. TestTermPostingsMatchZap compares both
// on every posting.

// termPostings is a term's postings in one segment, deleted articles
// included.
type termPostings interface {
	// at is the term's frequency and norm in article doc, and whether doc
	// has the term. Articles must be asked for in increasing order.
	at(doc uint32) (freq uint64, norm float64, ok bool, err error)
	// next is the next article with the term, the first one at first, and
	// its frequency and norm; ok is false after the last. A reader is
	// read with at or with next, not both.
	next() (doc uint32, freq uint64, norm float64, ok bool, err error)
}

// zapFields are the offsets of the unexported fields of zap's PostingsList
// and SegmentBase that chunkPostings reads; ok is false when zap's structs
// do not have them with the types expected.
var zapFields = func() (f struct {
	ok                                                 bool
	sb, freqOffset, postings, docNum1Hit, normBits1Hit uintptr
	chunkSize, mem                                     uintptr
}) {
	pl := reflect.TypeFor[zap.PostingsList]()
	sb := reflect.TypeFor[zap.SegmentBase]()
	u64 := reflect.TypeFor[uint64]()
	f.ok = true
	field := func(t reflect.Type, name string, want reflect.Type) uintptr {
		return structField(t, name, typeIs(want), &f.ok)
	}
	f.sb = field(pl, "sb", reflect.TypeFor[*zap.SegmentBase]())
	f.freqOffset = field(pl, "freqOffset", u64)
	f.postings = field(pl, "postings", reflect.TypeFor[*roaring.Bitmap]())
	f.docNum1Hit = field(pl, "docNum1Hit", u64)
	f.normBits1Hit = field(pl, "normBits1Hit", u64)
	f.chunkSize = field(pl, "chunkSize", u64)
	f.mem = field(sb, "mem", reflect.TypeFor[[]byte]())
	return f
}()

// structField is the offset of struct t's own field name; ok turns false
// when t has no such field or want refuses its type.
func structField(t reflect.Type, name string, want func(reflect.Type) bool, ok *bool) uintptr {
	sf, found := t.FieldByName(name)
	if !found || len(sf.Index) != 1 || !want(sf.Type) {
		*ok = false
	}
	return sf.Offset
}

func typeIs(want reflect.Type) func(reflect.Type) bool {
	return func(t reflect.Type) bool { return t == want }
}

// newTermPostings reads pl, a postings list from a dictionary asked without
// exceptions, from zap's layout when it can and through its iterator else.
func newTermPostings(pl segment.PostingsList) termPostings {
	if c, ok := newChunkPostings(pl); ok {
		return c
	}
	return &iteratorPostings{it: pl.Iterator(true, true, false, nil)}
}

// chunkPostings reads a term's postings list from zap's bytes.
type chunkPostings struct {
	bits      *roaring.Bitmap // the articles with the term
	chunkSize uint64
	ends      []uint64 // where each chunk ends in data
	data      []byte   // the chunks, from the first one's start

	oneHit     bool // a term in one article: bits holds it, with norm
	oneHitNorm float64

	chunk    int    // chunk at pos, -1 before the first
	rank     uint64 // rank in bits of the posting at pos (at)
	pos, end int

	docs roaring.ManyIntIterable // the articles next has not given
	buf  []uint32                // the next ones of them, from buf[i]
	i    int
}

func newChunkPostings(pl segment.PostingsList) (*chunkPostings, bool) {
	zpl, ok := pl.(*zap.PostingsList)
	if !ok || zpl == nil || !zapFields.ok || bleveindex.ReaderHook != nil {
		return nil, false
	}
	base := unsafe.Pointer(zpl)
	u64 := func(off uintptr) uint64 { return *(*uint64)(unsafe.Add(base, off)) }
	c := &chunkPostings{chunk: -1}
	if norm := u64(zapFields.normBits1Hit); norm != 0 {
		c.oneHit = true
		c.oneHitNorm = zapNorm(norm)
		c.bits = roaring.BitmapOf(uint32(u64(zapFields.docNum1Hit)))
		return c, true
	}
	c.bits = *(*(*roaring.Bitmap))(unsafe.Add(base, zapFields.postings))
	if c.bits == nil {
		c.bits = roaring.New()
		return c, true
	}
	c.chunkSize = u64(zapFields.chunkSize)
	freqOffset := u64(zapFields.freqOffset)
	sb := *(*unsafe.Pointer)(unsafe.Add(base, zapFields.sb))
	if c.chunkSize == 0 || freqOffset == 0 || sb == nil {
		return nil, false
	}
	mem := *(*[]byte)(unsafe.Add(sb, zapFields.mem))
	if freqOffset >= uint64(len(mem)) {
		return nil, false
	}
	buf := mem[freqOffset:]
	chunks, n := binary.Uvarint(buf)
	if n <= 0 || chunks > uint64(len(buf)) {
		return nil, false
	}
	buf = buf[n:]
	c.ends = make([]uint64, chunks)
	for i := range c.ends {
		if c.ends[i], n = binary.Uvarint(buf); n <= 0 {
			return nil, false
		}
		buf = buf[n:]
	}
	if chunks > 0 && c.ends[chunks-1] > uint64(len(buf)) {
		return nil, false
	}
	c.data = buf
	return c, true
}

var errPostingsLayout = errors.New("postings: chunk data ends early")

func (c *chunkPostings) at(doc uint32) (uint64, float64, bool, error) {
	if !c.bits.Contains(doc) {
		return 0, 0, false, nil
	}
	if c.oneHit {
		return 1, c.oneHitNorm, true, nil
	}
	rank := c.bits.Rank(doc) - 1 // postings before doc's
	chunk := int(uint64(doc) / c.chunkSize)
	if chunk != c.chunk || rank < c.rank {
		c.rank = 0
		if chunk > 0 {
			c.rank = c.bits.Rank(uint32(uint64(chunk)*c.chunkSize - 1))
		}
		if err := c.load(chunk); err != nil {
			return 0, 0, false, err
		}
	}
	for ; c.rank < rank; c.rank++ {
		if err := c.skip(); err != nil {
			return 0, 0, false, err
		}
	}
	freq, norm, err := c.read()
	c.rank++
	return freq, norm, err == nil, err
}

func (c *chunkPostings) next() (uint32, uint64, float64, bool, error) {
	if c.i == len(c.buf) {
		if c.docs == nil {
			c.docs, c.buf = c.bits.ManyIterator(), make([]uint32, 256)
		}
		n := c.docs.NextMany(c.buf[:cap(c.buf)])
		if c.buf, c.i = c.buf[:n], 0; n == 0 {
			return 0, 0, 0, false, nil
		}
	}
	d := c.buf[c.i]
	c.i++
	if c.oneHit {
		return d, 1, c.oneHitNorm, true, nil
	}
	if chunk := int(uint64(d) / c.chunkSize); chunk != c.chunk {
		if err := c.load(chunk); err != nil {
			return 0, 0, 0, false, err
		}
	}
	freq, norm, err := c.read()
	return d, freq, norm, err == nil, err
}

// load starts reading chunk at its first posting.
func (c *chunkPostings) load(chunk int) error {
	if chunk >= len(c.ends) {
		return fmt.Errorf("postings: chunk %d of %d", chunk, len(c.ends))
	}
	var start uint64
	if chunk > 0 {
		start = c.ends[chunk-1]
	}
	c.chunk, c.pos, c.end = chunk, int(start), int(c.ends[chunk])
	return nil
}

// read reads the posting at pos.
func (c *chunkPostings) read() (uint64, float64, error) {
	freqHasLocs, err := c.uvarint()
	if err != nil {
		return 0, 0, err
	}
	freq := freqHasLocs >> 1
	if freq == 0 {
		return 0, 0, nil
	}
	bits, err := c.uvarint()
	if err != nil {
		return 0, 0, err
	}
	return freq, zapNorm(bits), nil
}

// uvarint reads the varint at pos.
func (c *chunkPostings) uvarint() (uint64, error) {
	if c.pos < c.end && c.data[c.pos] < 0x80 { // most are one byte
		c.pos++
		return uint64(c.data[c.pos-1]), nil
	}
	v, n := binary.Uvarint(c.data[c.pos:c.end])
	if n <= 0 {
		return 0, errPostingsLayout
	}
	c.pos += n
	return v, nil
}

// zapNorm is the norm of a posting whose stored norm bits are bits: zap
// keeps the field's length there and Posting.Norm turns it into this.
func zapNorm(bits uint64) float64 {
	return float64(float32(1.0 / math.Sqrt(float64(uint32(bits)))))
}

// skip steps over the posting at pos.
func (c *chunkPostings) skip() error {
	freqHasLocs, err := c.uvarint()
	if err != nil {
		return err
	}
	if freqHasLocs>>1 == 0 {
		return nil
	}
	for c.pos < c.end {
		b := c.data[c.pos]
		c.pos++
		if b < 0x80 {
			return nil
		}
	}
	return errPostingsLayout
}

// iteratorPostings reads a term's postings through zap's iterator.
type iteratorPostings struct {
	it   segment.PostingsIterator
	cur  segment.Posting // the posting at or after the last article asked about
	done bool
}

func (p *iteratorPostings) at(doc uint32) (uint64, float64, bool, error) {
	if !p.done && (p.cur == nil || p.cur.Number() < uint64(doc)) {
		var err error
		if p.cur, err = p.it.Advance(uint64(doc)); err != nil {
			return 0, 0, false, err
		}
		p.done = p.cur == nil
	}
	if p.cur == nil || p.cur.Number() != uint64(doc) {
		return 0, 0, false, nil
	}
	return p.cur.Frequency(), p.cur.Norm(), true, nil
}

func (p *iteratorPostings) next() (uint32, uint64, float64, bool, error) {
	q, err := p.it.Next()
	if q == nil || err != nil {
		return 0, 0, 0, false, err
	}
	return uint32(q.Number()), q.Frequency(), q.Norm(), true, nil
}
