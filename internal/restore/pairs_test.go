package restore

import (
	"math/rand/v2"
	"testing"
)

// TestPairTable checks the hash table against a Go map through a long run
// of random additions, removals and prunes over few keys, so probe runs
// wrap around and deletions shift them.
func TestPairTable(t *testing.T) {
	var table pairTable
	want := map[uint64]uint32{}
	rng := rand.New(rand.NewPCG(1, 2))
	var batch, scratch []uint64
	for step := range 200000 {
		if step%1000 == 0 { // a batch of additions, counted in slot order
			batch = batch[:0]
			for range 500 {
				batch = append(batch, pairKey(rng.Uint32N(30), rng.Uint32N(25)))
			}
			fresh := map[uint64]bool{}
			for _, key := range batch {
				if want[key] == 0 {
					fresh[key] = true
				}
				want[key]++
			}
			scratch = table.addAll(batch, scratch, func(key uint64) {
				if !fresh[key] {
					t.Fatalf("step %d: addAll reported %x as new", step, key)
				}
				delete(fresh, key)
			})
			if len(fresh) > 0 {
				t.Fatalf("step %d: addAll did not report %d new keys", step, len(fresh))
			}
		}
		key := pairKey(rng.Uint32N(30), rng.Uint32N(25)) // up to 750 keys: 73 % of 1024 slots
		if rng.IntN(3) == 0 {
			before := table.add(key, -1)
			if before != want[key] {
				t.Fatalf("step %d: remove %x: count before %d, want %d", step, key, before, want[key])
			}
			if want[key] > 0 {
				want[key]--
			}
			if want[key] == 0 {
				delete(want, key)
			}
		} else {
			if before := table.add(key, +1); before != want[key] {
				t.Fatalf("step %d: add %x: count before %d, want %d", step, key, before, want[key])
			}
			want[key]++
		}
		if step%50000 == 49999 {
			table.prune(3)
			for k, c := range want {
				if c < 3 {
					delete(want, k)
				}
			}
		}
	}
	if table.len() != len(want) {
		t.Errorf("table holds %d pairs, want %d", table.len(), len(want))
	}
	for k, c := range want {
		if got := table.get(k); got != c {
			t.Errorf("get(%x) = %d, want %d", k, got, c)
		}
	}
	table.each(func(k uint64, c uint32) {
		if want[k] != c {
			t.Errorf("each: %x = %d, want %d", k, c, want[k])
		}
	})
}
