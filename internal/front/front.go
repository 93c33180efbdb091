// Package front keeps the numbers of the short strings used most recently
// in a small table, to put in front of a map of many: the syllables of a
// text, which an ingest looks up hundreds of millions of times.
//
// A Go map of tens of thousands of syllables outgrows the processor's
// caches, and a lookup in it reads the group's control word, the slot and
// the key's bytes elsewhere. A Table holds a syllable's bytes (up to 16)
// as two words beside its number, two syllables a hash, the one used last
// first: a lookup reads one slot pair and compares words. Syllables are
// few that make most of a text (on the synthetic archive 4,000 make 96 %
// of it, 8,000 98 %), so most lookups end there.
package front

import (
	"encoding/binary"
	"unsafe"
)

const (
	bits = 14
	size = 1 << bits // slots: 384 KB
)

// MaxKey is the longest string a Table holds; Get misses longer ones.
const MaxKey = 16

type slot struct {
	lo, hi uint64 // the string's bytes, little-endian, zero past its end
	n      uint32 // its length + 1; 0 when the slot is empty
	val    int32
}

// Table maps short strings to numbers, forgetting some as others come.
// The zero value is empty. It is not safe for concurrent use.
type Table struct {
	slots [size]slot
}

// key packs s, of at most MaxKey bytes, and picks its slot pair. It reads
// s in at most four loads, never past its end: two that overlap cover any
// length from one to twice their width, and a byte read twice lands where
// it was.
func key(s string) (lo, hi uint64, n uint32, pair int) {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	switch l := len(b); {
	case l > 8:
		lo = binary.LittleEndian.Uint64(b)
		hi = binary.LittleEndian.Uint64(b[l-8:]) >> (8 * (16 - l))
	case l >= 4:
		lo = uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[l-4:]))<<(8*(l-4))
	case l >= 2:
		lo = uint64(binary.LittleEndian.Uint16(b)) | uint64(binary.LittleEndian.Uint16(b[l-2:]))<<(8*(l-2))
	case l == 1:
		lo = uint64(b[0])
	}
	n = uint32(len(s)) + 1
	h := ((lo ^ hi*0xff51afd7ed558ccd ^ uint64(n)) * 0x9e3779b97f4a7c15) >> (64 - bits)
	return lo, hi, n, int(h &^ 1)
}

// Get returns the number of s, if the table holds it.
func (t *Table) Get(s string) (int32, bool) {
	if len(s) > MaxKey {
		return 0, false
	}
	lo, hi, n, p := key(s)
	pair := t.slots[p : p+2 : p+2]
	switch {
	case pair[0].lo == lo && pair[0].hi == hi && pair[0].n == n:
		return pair[0].val, true
	case pair[1].lo == lo && pair[1].hi == hi && pair[1].n == n:
		pair[0], pair[1] = pair[1], pair[0]
		return pair[0].val, true
	}
	return 0, false
}

// Put gives s the number val, forgetting the string of its pair used
// longer ago; it does nothing for a string longer than MaxKey.
func (t *Table) Put(s string, val int32) {
	if len(s) > MaxKey {
		return
	}
	lo, hi, n, p := key(s)
	pair := t.slots[p : p+2 : p+2]
	pair[1] = pair[0]
	pair[0] = slot{lo: lo, hi: hi, n: n, val: val}
}

// Clear empties the table.
func (t *Table) Clear() { clear(t.slots[:]) }
