package zapbuild

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// bitmapCases are sorted document lists of every shape a term's documents
// take: one document, sparse ones over many containers, containers just
// under and over the 4,096 at which roaring switches to a bitmap, a full
// container, and documents past 2^16 and 2^20.
func bitmapCases() [][]uint32 {
	r := rand.New(rand.NewPCG(7, 11))
	pick := func(n, span int, from uint32) []uint32 {
		set := map[uint32]bool{}
		for len(set) < n {
			set[from+uint32(r.IntN(span))] = true
		}
		out := make([]uint32, 0, n)
		for d := range set {
			out = append(out, d)
		}
		slices.Sort(out)
		return out
	}
	full := make([]uint32, 1<<16)
	for i := range full {
		full[i] = 1<<16 + uint32(i)
	}
	return [][]uint32{
		{0}, {65535}, {65536}, {1_000_000},
		pick(10, 1000, 0),
		pick(500, 1_000_000, 0),
		pick(4096, 1<<16, 0),
		pick(4097, 1<<16, 0),
		pick(30_000, 1<<16, 5<<16),
		append(pick(4097, 1<<16, 0), pick(100, 1<<16, 1<<16)...),
		pick(200_000, 1_200_000, 0),
		full,
		append(pick(3, 1<<16, 0), full...),
		append(append(pick(3, 1<<16, 0), full...), pick(5000, 3<<16, 2<<16)...), // four containers and more
	}
}

// The builder's and the merge's bitmaps are roaring's own bytes: what
// ToBytes writes for the documents added with AddMany, as zap does.
func TestBitmapBytes(t *testing.T) {
	for _, docs := range bitmapCases() {
		b := roaring.New()
		b.AddMany(docs)
		want, err := b.ToBytes()
		if err != nil {
			t.Fatal(err)
		}
		if got := appendBitmap(nil, docs); !bytes.Equal(got, want) {
			t.Errorf("%d documents from %d: %d bytes, roaring writes %d (first difference at %d)",
				len(docs), docs[0], len(got), len(want), firstDifference(got, want))
		}
	}
}

// Reading a bitmap gives its documents back, shifted, whatever containers
// it has: runs too, which neither zap nor kho writes but roaring may.
func TestBitmapDocs(t *testing.T) {
	for _, docs := range bitmapCases() {
		b := roaring.New()
		b.AddMany(docs)
		plain, _ := b.ToBytes()
		b.RunOptimize()
		runs, _ := b.ToBytes()
		for _, data := range [][]byte{plain, runs} {
			got, err := appendBitmapDocs([]uint32{7}, data, 3)
			if err != nil {
				t.Fatalf("%d documents: %v", len(docs), err)
			}
			want := []uint32{7}
			for _, d := range docs {
				want = append(want, d+3)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d documents from %d: read %d back", len(docs), docs[0], len(got)-1)
			}
			if card, err := bitmapCardinality(data); err != nil || card != uint64(len(docs)) {
				t.Errorf("%d documents: cardinality %d, %v", len(docs), card, err)
			}
		}
	}
	for _, bad := range [][]byte{nil, {1, 2, 3, 4, 5}, appendBitmap(nil, []uint32{1, 2, 3})[:14]} {
		if _, err := appendBitmapDocs(nil, bad, 0); err == nil {
			t.Errorf("% x: read without an error", bad)
		}
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// BenchmarkAppendBitmap writes the bitmaps of a batch's typical terms (a
// few documents of one container) and of a merged segment's common one.
func BenchmarkAppendBitmap(b *testing.B) {
	cases := bitmapCases()
	for _, c := range []struct {
		name string
		docs []uint32
	}{{"10", cases[4]}, {"500", cases[5]}, {"200000", cases[10]}} {
		b.Run(c.name, func(b *testing.B) {
			var buf []byte
			for b.Loop() {
				buf = appendBitmap(buf[:0], c.docs)
			}
		})
	}
}
