package restore

// pairTable counts pairs of form ids: an open-addressing hash table with
// linear probing whose slots hold key and count side by side, so an update
// costs one cache miss where a Go map costs two or three. Learning an
// article updates hundreds of pairs scattered over millions, so those
// misses are most of the cost of Add: addAll applies many updates in slot
// order, which turns them into one sweep through memory.
type pairTable struct {
	slots []pairSlot // len is a power of two, or zero
	shift uint       // 64 - log2(len(slots))
	used  int
}

type pairSlot struct {
	key   uint64 // pairKey(a, b) + 1; 0 marks an empty slot
	count uint32
}

func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

func (t *pairTable) len() int { return t.used }

// home is the first slot to probe for key (Fibonacci hashing).
func (t *pairTable) home(key uint64) int {
	return int(hash(key) >> t.shift)
}

func hash(key uint64) uint64 { return key * 0x9E3779B97F4A7C15 }

// find returns the slot of key, or the empty slot where it would go.
func (t *pairTable) find(key uint64) int {
	mask := len(t.slots) - 1
	i := t.home(key)
	for t.slots[i].key != 0 && t.slots[i].key != key+1 {
		i = (i + 1) & mask
	}
	return i
}

// get returns the count of a pair, zero if absent.
func (t *pairTable) get(key uint64) uint32 {
	if len(t.slots) == 0 {
		return 0
	}
	return t.slots[t.find(key)].count
}

// add changes a pair's count by delta (+1 or -1, never below zero) and
// returns the count it had before.
func (t *pairTable) add(key uint64, delta int) uint32 {
	if len(t.slots) == 0 {
		if delta < 0 {
			return 0
		}
		t.grow()
	}
	i := t.find(key)
	s := &t.slots[i]
	before := s.count
	switch {
	case delta > 0 && s.key == 0:
		*s = pairSlot{key: key + 1, count: 1}
		t.used++
		if t.used*4 > len(t.slots)*3 {
			t.grow()
		}
	case delta > 0:
		s.count++
	case s.count > 1:
		s.count--
	case s.count == 1:
		t.delete(i)
	}
	return before
}

// addAll counts one more of each key (repeats allowed) and calls onNew for
// each key it had not counted yet. It reorders keys and uses scratch (grown
// as needed, returned) to sort them by slot; repeats, two thirds of a batch
// of text, end up side by side and cost one update.
func (t *pairTable) addAll(keys, scratch []uint64, onNew func(key uint64)) []uint64 {
	keys, scratch = sortByHash(keys, scratch)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		if t.addN(keys[i], uint32(j-i)) == 0 {
			onNew(keys[i])
		}
		i = j
	}
	return scratch
}

// addN adds n to a pair's count and returns the count it had before.
func (t *pairTable) addN(key uint64, n uint32) uint32 {
	if len(t.slots) == 0 {
		t.grow()
	}
	s := &t.slots[t.find(key)]
	before := s.count
	if s.key == 0 {
		*s = pairSlot{key: key + 1, count: n}
		t.used++
		if t.used*4 > len(t.slots)*3 {
			t.grow()
		}
		return 0
	}
	s.count += n
	return before
}

// sortByHash orders keys by the top 33 bits of their hash, the bits that
// pick their slot and more, so equal keys end up next to each other: three
// passes of an 11-bit radix sort (four of 8 bits took a third longer).
// It returns the sorted keys, in keys or in scratch, and scratch.
func sortByHash(keys, scratch []uint64) ([]uint64, []uint64) {
	if cap(scratch) < len(keys) {
		scratch = make([]uint64, len(keys))
	}
	scratch = scratch[:len(keys)]
	src, dst := keys, scratch
	for shift := 64 - 3*radixBits; shift < 64; shift += radixBits {
		var counts [1<<radixBits + 1]int
		for _, k := range src {
			counts[1+int(hash(k)>>shift&radixMask)]++
		}
		for i := 1; i < len(counts); i++ {
			counts[i] += counts[i-1]
		}
		for _, k := range src {
			b := hash(k) >> shift & radixMask
			dst[counts[b]] = k
			counts[b]++
		}
		src, dst = dst, src
	}
	return src, scratch
}

const (
	radixBits = 11
	radixMask = 1<<radixBits - 1
)

// set stores a count for a pair and reports false if it was there already.
func (t *pairTable) set(key uint64, count uint32) bool {
	if len(t.slots) == 0 || (t.used+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	s := &t.slots[t.find(key)]
	if s.key != 0 {
		return false
	}
	*s = pairSlot{key: key + 1, count: count}
	t.used++
	return true
}

// reserve makes room for n pairs without growing on the way.
func (t *pairTable) reserve(n int) {
	for len(t.slots)*3 < n*4 {
		t.grow()
	}
}

// delete empties slot i and moves later slots of the same probe run back,
// so lookups never need tombstones.
func (t *pairTable) delete(i int) {
	mask := len(t.slots) - 1
	t.slots[i] = pairSlot{}
	t.used--
	for j := (i + 1) & mask; t.slots[j].key != 0; j = (j + 1) & mask {
		h := t.home(t.slots[j].key - 1)
		// Slot j may move to the hole at i if its home is not in (i, j].
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			t.slots[i], t.slots[j] = t.slots[j], pairSlot{}
			i = j
		}
	}
}

func (t *pairTable) grow() {
	old := t.slots
	t.slots = make([]pairSlot, max(1024, 2*len(old)))
	t.shift = 64 - log2(len(t.slots))
	for _, s := range old {
		if s.key != 0 {
			t.slots[t.find(s.key-1)] = s
		}
	}
}

// each calls fn for every pair with its count.
func (t *pairTable) each(fn func(key uint64, count uint32)) {
	for _, s := range t.slots {
		if s.key != 0 {
			fn(s.key-1, s.count)
		}
	}
}

// prune deletes the pairs counted fewer than min times.
func (t *pairTable) prune(min uint32) {
	var keep pairTable
	t.each(func(key uint64, count uint32) {
		if count >= min {
			keep.set(key, count)
		}
	})
	*t = keep
}

func log2(n int) uint {
	var k uint
	for 1<<k < n {
		k++
	}
	return k
}
