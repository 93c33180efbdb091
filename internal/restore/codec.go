package restore

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// The file is gzip around: magic, format version, the forms sorted (with
// their counts), then the pairs sorted by (first, second) as varint deltas.
// Sorted forms and delta-coded pairs compress to a few bytes a pair.
const (
	magic         = "kho-restore\n"
	formatVersion = 1
)

// WriteTo saves the model. Forms whose count fell to zero are left out.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	zw := gzip.NewWriter(cw)
	bw := bufio.NewWriter(zw)
	m.readLock()
	m.encode(bw) // bufio keeps the first write error for Flush
	m.mu.RUnlock()
	err := bw.Flush()
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return cw.n, fmt.Errorf("write restore model: %w", err)
	}
	return cw.n, nil
}

func (m *Model) encode(w *bufio.Writer) {
	order := make([]uint32, 0, len(m.forms))
	for id, c := range m.count {
		if c > 0 || uint32(id) <= clauseEnd {
			order = append(order, uint32(id))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(m.forms[a], m.forms[b]) })
	newID := make(map[uint32]uint32, len(order))
	for i, id := range order {
		newID[id] = uint32(i)
	}

	w.WriteString(magic)
	putUvarint(w, formatVersion)
	putUvarint(w, uint64(len(order)))
	for _, id := range order {
		putUvarint(w, uint64(len(m.forms[id])))
		w.WriteString(m.forms[id])
		putUvarint(w, uint64(m.count[id]))
		putUvarint(w, uint64(m.left[id]))
		putUvarint(w, uint64(m.kinds[id]))
	}

	type pair struct {
		key   uint64
		count uint32
	}
	pairs := make([]pair, 0, m.pairs.len())
	m.pairs.each(func(key uint64, c uint32) {
		a, okA := newID[uint32(key>>32)]
		b, okB := newID[uint32(key)]
		if okA && okB {
			pairs = append(pairs, pair{pairKey(a, b), c})
		}
	})
	slices.SortFunc(pairs, func(x, y pair) int { return cmp.Compare(x.key, y.key) })
	putUvarint(w, uint64(len(pairs)))
	var prevA, prevB uint32
	for _, p := range pairs {
		a, b := uint32(p.key>>32), uint32(p.key)
		putUvarint(w, uint64(a-prevA))
		if a != prevA {
			prevB = 0
		}
		putUvarint(w, uint64(b-prevB))
		putUvarint(w, uint64(p.count))
		prevA, prevB = a, b
	}
}

// ReadFrom replaces the model's contents with a model saved by WriteTo.
// A damaged or foreign file is an error that says what was being read; the
// model is left unchanged then.
func (m *Model) ReadFrom(r io.Reader) (int64, error) {
	cr := &countingReader{r: r}
	zr, err := gzip.NewReader(cr)
	if err != nil {
		return cr.n, fmt.Errorf("read restore model: %w", err)
	}
	loaded, err := decode(bufio.NewReader(zr))
	if err == nil {
		_, err = io.Copy(io.Discard, zr) // checks the gzip trailer (CRC)
	}
	if err != nil {
		return cr.n, fmt.Errorf("read restore model: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids, m.forms, m.foldOf = loaded.ids, loaded.forms, loaded.foldOf
	m.recent = nil // its ids were the old forms'
	m.numbering.Store(numberings.Add(1))
	m.count, m.left, m.kinds, m.numeric = loaded.count, loaded.left, loaded.kinds, loaded.numeric
	m.variants, m.pairs, m.total = loaded.variants, loaded.pairs, loaded.total
	m.pending = m.pending[:0]
	return cr.n, nil
}

func decode(r *bufio.Reader) (*Model, error) {
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		return nil, errors.New("not a kho restore model")
	}
	if v, err := binary.ReadUvarint(r); err != nil || v != formatVersion {
		return nil, fmt.Errorf("format version %d, want %d", v, formatVersion)
	}
	m := NewModel()
	nForms, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, fmt.Errorf("form count: %w", err)
	}
	fileIDs := make([]uint32, 0, min(nForms, 1<<20))
	var buf [maxFormLen]byte
	for i := range nForms {
		id, err := m.decodeForm(r, buf[:])
		if err != nil {
			return nil, fmt.Errorf("form %d of %d: %w", i, nForms, err)
		}
		fileIDs = append(fileIDs, id)
	}
	nPairs, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, fmt.Errorf("pair count: %w", err)
	}
	m.pairs.reserve(int(min(nPairs, 1<<22))) // a damaged count must not allocate gigabytes
	var a, b uint64
	for i := range nPairs {
		da, err1 := binary.ReadUvarint(r)
		db, err2 := binary.ReadUvarint(r)
		c, err3 := binary.ReadUvarint(r)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("pair %d of %d: %w", i, nPairs, err)
		}
		if da > 0 {
			b = 0
		}
		a, b = a+da, b+db
		if a >= uint64(len(fileIDs)) || b >= uint64(len(fileIDs)) || c == 0 || c > 1<<32-1 {
			return nil, fmt.Errorf("pair %d of %d: ids %d, %d or count %d out of range", i, nPairs, a, b, c)
		}
		if !m.pairs.set(pairKey(fileIDs[a], fileIDs[b]), uint32(c)) {
			return nil, fmt.Errorf("pair %d of %d listed twice", i, nPairs)
		}
	}
	return m, nil
}

func (m *Model) decodeForm(r *bufio.Reader, buf []byte) (uint32, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return 0, err
	}
	if n == 0 || n > uint64(len(buf)) {
		return 0, fmt.Errorf("length %d out of range", n)
	}
	if _, err := io.ReadFull(r, buf[:n]); err != nil {
		return 0, err
	}
	form := string(buf[:n])
	if !utf8.ValidString(form) {
		return 0, fmt.Errorf("%q is not UTF-8", form)
	}
	var counts [3]uint64
	for i := range counts {
		if counts[i], err = binary.ReadUvarint(r); err != nil {
			return 0, fmt.Errorf("%q: %w", form, err)
		}
		if counts[i] > 1<<32-1 {
			return 0, fmt.Errorf("%q: count %d out of range", form, counts[i])
		}
	}
	if _, dup := m.ids[form]; dup && m.count[m.ids[form]] > 0 {
		return 0, fmt.Errorf("%q listed twice", form)
	}
	id := m.intern(form)
	m.count[id], m.left[id], m.kinds[id] = uint32(counts[0]), uint32(counts[1]), uint32(counts[2])
	m.total += counts[0]
	return id, nil
}

func putUvarint(w *bufio.Writer, v uint64) {
	var buf [binary.MaxVarintLen64]byte
	w.Write(buf[:binary.PutUvarint(buf[:], v)])
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
