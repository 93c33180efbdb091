package zapbuild

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"slices"
)

// A term's documents are a roaring bitmap in zap's postings record, in
// roaring's portable format. The builder and the merge have the documents
// as a sorted list; building a roaring.Bitmap of them only to serialize it
// (AddMany, ToBytes) and, in the merge, reading each source's bitmap back
// through an iterator cost a million-article ingest ~45 s of CPU. These
// write and read the format from and to lists. appendBitmap writes exactly
// what roaring's ToBytes writes for a bitmap AddMany made (TestBitmapBytes):
// array containers up to 4,096 documents, bitmap containers above, no runs.

// The portable format's cookies and sizes (roaring's serialization spec).
const (
	cookieNoRuns   = 12346
	cookieRuns     = 12347
	arrayMax       = 4096 // an array container holds at most this many values
	bitmapBytes    = 8192 // a bitmap container's 65,536 bits
	offsetsFromRun = 4    // a bitmap with runs lists offsets from this many containers on
	fullContainer  = 1 << 16
)

// appendBitmap appends the serialized bitmap of docs, which ascend without
// repeats.
func appendBitmap(buf []byte, docs []uint32) []byte {
	var room [20]int // a million documents make 16 containers
	ends := containerEnds(room[:0], docs)
	full := false // any container of all 65,536: roaring makes it a run, and the format changes
	for c, end := range ends {
		full = full || end-containerStart(ends, c) == fullContainer
	}
	n := len(ends)
	start, withOffsets := len(buf), true
	if full {
		buf = binary.LittleEndian.AppendUint16(buf, cookieRuns)
		buf = binary.LittleEndian.AppendUint16(buf, uint16(n-1))
		runs := len(buf)
		buf = append(buf, make([]byte, (n+7)/8)...)
		for c, end := range ends {
			if end-containerStart(ends, c) == fullContainer {
				buf[runs+c/8] |= 1 << (c % 8)
			}
		}
		withOffsets = n >= offsetsFromRun
	} else {
		buf = binary.LittleEndian.AppendUint32(buf, cookieNoRuns)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(n))
	}
	for c, end := range ends {
		i := containerStart(ends, c)
		buf = binary.LittleEndian.AppendUint16(buf, uint16(docs[i]>>16))
		buf = binary.LittleEndian.AppendUint16(buf, uint16(end-i-1))
	}
	if withOffsets {
		offset := len(buf) - start + 4*n // what comes before the first container
		for c, end := range ends {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(offset))
			offset += containerBytes(end - containerStart(ends, c))
		}
	}
	for c, j := range ends {
		i := containerStart(ends, c)
		switch card := j - i; {
		case card == fullContainer: // one run: from 0, 65,535 more
			buf = binary.LittleEndian.AppendUint16(buf, 1)
			buf = binary.LittleEndian.AppendUint16(buf, 0)
			buf = binary.LittleEndian.AppendUint16(buf, 0xffff)
		case card > arrayMax:
			start := len(buf)
			buf = append(buf, make([]byte, bitmapBytes)...)
			words := buf[start:]
			for _, d := range docs[i:j] {
				low := d & 0xffff
				words[low>>3] |= 1 << (low & 7) // little-endian words: bit k of word w is bit k%8 of byte 8w+k/8
			}
		default:
			for _, d := range docs[i:j] {
				buf = binary.LittleEndian.AppendUint16(buf, uint16(d))
			}
		}
	}
	return buf
}

// containerEnds appends to ends where each container of docs ends: the
// documents sharing their high 16 bits. Most terms of a segment have one
// container, and a term's documents are found by binary search otherwise,
// not walked.
func containerEnds(ends []int, docs []uint32) []int {
	for i := 0; i < len(docs); {
		hi := docs[i] >> 16
		j := len(docs)
		if docs[j-1]>>16 != hi {
			next, _ := slices.BinarySearch(docs[i:], (hi+1)<<16)
			j = i + next
		}
		ends = append(ends, j)
		i = j
	}
	return ends
}

// containerStart is where container c begins, given where each ends.
func containerStart(ends []int, c int) int {
	if c == 0 {
		return 0
	}
	return ends[c-1]
}

func containerBytes(card int) int {
	switch {
	case card == fullContainer:
		return 6 // one run
	case card > arrayMax:
		return bitmapBytes
	}
	return 2 * card
}

var errBitmap = errors.New("malformed roaring bitmap")

// bitmapCardinality returns how many documents a serialized bitmap holds,
// from its container descriptions.
func bitmapCardinality(data []byte) (uint64, error) {
	h, err := readBitmapHeader(data)
	if err != nil {
		return 0, err
	}
	var card uint64
	for i := range h.n {
		card += uint64(binary.LittleEndian.Uint16(h.desc[4*i+2:])) + 1
	}
	return card, nil
}

// bitmapHeader is where a serialized bitmap's parts are.
type bitmapHeader struct {
	n    int    // containers
	runs []byte // which containers are runs, a bit each; nil without runs
	desc []byte // key and cardinality-1 of each container
	body []byte // the containers, in order
}

func readBitmapHeader(data []byte) (bitmapHeader, error) {
	var h bitmapHeader
	if len(data) < 4 {
		return h, errBitmap
	}
	at := 0
	switch cookie := binary.LittleEndian.Uint32(data); {
	case cookie == cookieNoRuns:
		if len(data) < 8 {
			return h, errBitmap
		}
		h.n = int(binary.LittleEndian.Uint32(data[4:]))
		at = 8
	case cookie&0xffff == cookieRuns:
		h.n = int(cookie>>16) + 1
		at = 4
		size := (h.n + 7) / 8
		if len(data) < at+size {
			return h, errBitmap
		}
		h.runs = data[at : at+size]
		at += size
	default:
		return h, errBitmap
	}
	if h.n > len(data) || len(data) < at+4*h.n {
		return h, errBitmap
	}
	h.desc = data[at : at+4*h.n]
	at += 4 * h.n
	if h.runs == nil || h.n >= offsetsFromRun {
		at += 4 * h.n // offsets: the containers follow each other anyway
	}
	if len(data) < at {
		return h, errBitmap
	}
	h.body = data[at:]
	return h, nil
}

// appendBitmapDocs appends the documents of a serialized bitmap, each plus
// base, in order.
func appendBitmapDocs(dst []uint32, data []byte, base uint32) ([]uint32, error) {
	h, err := readBitmapHeader(data)
	if err != nil {
		return dst, err
	}
	body := h.body
	for i := range h.n {
		key := uint32(binary.LittleEndian.Uint16(h.desc[4*i:]))<<16 + base
		card := int(binary.LittleEndian.Uint16(h.desc[4*i+2:])) + 1
		switch {
		case h.runs != nil && h.runs[i/8]&(1<<(i%8)) != 0:
			if len(body) < 2 {
				return dst, errBitmap
			}
			runs := int(binary.LittleEndian.Uint16(body))
			if len(body) < 2+4*runs {
				return dst, errBitmap
			}
			for r := range runs {
				start := uint32(binary.LittleEndian.Uint16(body[2+4*r:]))
				length := uint32(binary.LittleEndian.Uint16(body[4+4*r:]))
				for v := start; v <= start+length; v++ {
					dst = append(dst, key+v)
				}
			}
			body = body[2+4*runs:]
		case card > arrayMax:
			if len(body) < bitmapBytes {
				return dst, errBitmap
			}
			for w := range bitmapBytes / 8 {
				word := binary.LittleEndian.Uint64(body[8*w:])
				for word != 0 {
					dst = append(dst, key+uint32(64*w+bits.TrailingZeros64(word)))
					word &= word - 1
				}
			}
			body = body[bitmapBytes:]
		default:
			if len(body) < 2*card {
				return dst, errBitmap
			}
			for k := range card {
				dst = append(dst, key+uint32(binary.LittleEndian.Uint16(body[2*k:])))
			}
			body = body[2*card:]
		}
	}
	return dst, nil
}
