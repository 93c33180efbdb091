package front

import (
	"fmt"
	"testing"
)

// What a Table answers is what was put last for that string, or nothing:
// for strings that share their first eight bytes, differ only in length
// (a trailing zero byte too), run to 16 bytes or past them, and collide.
func TestTableAnswersWhatWasPut(t *testing.T) {
	keys := []string{"", "a", "a\x00", "nghiêng", "nghiềng", "nghiêngg", "trường", "người", "ngườI",
		"abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq"}
	for i := range 40_000 {
		keys = append(keys, fmt.Sprintf("x%d", i), fmt.Sprintf("ngườ%05d", i))
	}
	var tab Table
	put := map[string]int32{}
	for round := range 3 {
		for i, k := range keys {
			if v, ok := tab.Get(k); ok && v != put[k] {
				t.Fatalf("round %d: Get(%q) = %d, put %d", round, k, v, put[k])
			}
			if (i+round)%3 != 0 {
				tab.Put(k, int32(i+round))
				put[k] = int32(i + round)
				if len(k) <= MaxKey {
					if v, ok := tab.Get(k); !ok || v != put[k] {
						t.Fatalf("Get(%q) right after Put = %d, %v", k, v, ok)
					}
				}
			}
		}
	}
	if _, ok := tab.Get("abcdefghijklmnopq"); ok {
		t.Error("a string past MaxKey was held")
	}
	tab.Clear()
	if _, ok := tab.Get("x1"); ok {
		t.Error("Clear left a string")
	}
}

// key packs a string's bytes as a byte-by-byte loop would, for every
// length a Table holds.
func TestKeyPacksBytesInOrder(t *testing.T) {
	src := "nghiêng người trường"
	for start := range 4 {
		for l := 0; l <= MaxKey && start+l <= len(src); l++ {
			s := src[start : start+l]
			var wantLo, wantHi uint64
			for i := 0; i < len(s); i++ {
				if i < 8 {
					wantLo |= uint64(s[i]) << (8 * i)
				} else {
					wantHi |= uint64(s[i]) << (8 * (i - 8))
				}
			}
			if lo, hi, n, _ := key(s); lo != wantLo || hi != wantHi || n != uint32(l)+1 {
				t.Errorf("key(%q) = %#x %#x %d, want %#x %#x %d", s, lo, hi, n, wantLo, wantHi, l+1)
			}
		}
	}
}
