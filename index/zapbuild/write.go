package zapbuild

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/golang/snappy"
)

// segmentBytes is a segment as zap's InitSegmentBase takes it.
type segmentBytes struct {
	mem                        []byte
	storedIndex, sectionsIndex uint64
}

// write lays the batch out as zap v17 does.
func (b *builder) write() (segmentBytes, error) {
	fields := b.sortedFields()
	fields[0].opts = index.IndexField | index.StoreField // zap's rule for _id
	w := &b.w                                            // its encoders and buffers serve batch after batch; the segment keeps buf
	w.buf = make([]byte, 0, b.lastLen+b.lastLen/8)
	storedIndex := b.writeStored(w, fields)
	addrs := make([]uint64, len(fields))
	for i, f := range fields {
		var err error
		if addrs[i], err = b.writeField(w, f); err != nil {
			b.w = writer{} // its dictionary builder may be half-way
			return segmentBytes{}, fmt.Errorf("field %q: %w", f.name, err)
		}
	}
	names := make([]string, len(fields))
	opts := make([]index.FieldIndexingOptions, len(fields))
	for i, f := range fields {
		names[i], opts[i] = f.name, f.opts
	}
	var sectionsIndex uint64
	w.buf, sectionsIndex = appendFieldsIndex(w.buf, 0, names, opts, addrs)
	b.lastLen = len(w.buf)
	mem := w.buf
	w.buf = nil
	return segmentBytes{mem: mem, storedIndex: storedIndex, sectionsIndex: sectionsIndex}, nil
}

// writer appends to the segment's bytes.
type writer struct {
	encoders
	buf     []byte
	dvTerms [][]byte
}

func (w *writer) uvarint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }

// Write appends p: the doc values encoder writes its chunks here.
func (w *writer) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// writeStored writes each document's stored values, snappy-compressed, and
// the index of where each document's begin; it returns that index's offset.
func (b *builder) writeStored(w *writer, fields []*field) uint64 {
	offsets := make([]uint64, b.numDocs)
	var meta, data, compressed []byte
	var vals []storedValue
	start := 0
	for doc := range b.numDocs {
		vals = append(vals[:0], b.stored[start:b.docEnd[doc]]...)
		start = b.docEnd[doc]
		// zap writes a document's values field by field in the segment's
		// order, a field's values in the order given.
		slices.SortStableFunc(vals, func(x, y storedValue) int { return b.fields[x.field].id - b.fields[y.field].id })
		var id []byte
		if len(vals) > 0 && b.fields[vals[0].field].id == 0 {
			id = vals[0].value
		}
		meta = binary.AppendUvarint(meta[:0], uint64(len(id)))
		data = data[:0]
		for _, v := range vals {
			fid := b.fields[v.field].id
			if fid == 0 {
				continue
			}
			meta = binary.AppendUvarint(meta, uint64(fid))
			meta = binary.AppendUvarint(meta, uint64(v.typ))
			meta = binary.AppendUvarint(meta, uint64(len(data)))
			meta = binary.AppendUvarint(meta, uint64(len(v.value)))
			meta = binary.AppendUvarint(meta, uint64(len(v.arrayPos)))
			for _, p := range v.arrayPos {
				meta = binary.AppendUvarint(meta, p)
			}
			data = append(data, v.value...)
		}
		compressed = snappy.Encode(compressed[:cap(compressed)], data)
		offsets[doc] = uint64(len(w.buf))
		w.uvarint(uint64(len(meta)))
		w.uvarint(uint64(len(id) + len(compressed)))
		w.buf = append(w.buf, meta...)
		w.buf = append(w.buf, id...)
		w.buf = append(w.buf, compressed...)
	}
	storedIndex := uint64(len(w.buf))
	for _, o := range offsets {
		w.buf = binary.BigEndian.AppendUint64(w.buf, o)
	}
	w.uvarint(0) // no nested documents
	return storedIndex
}

// writeField writes a field's postings, term dictionary and doc values, and
// returns the address of the record that points at the last two.
func (b *builder) writeField(w *writer, f *field) (uint64, error) {
	order := make([]uint32, len(f.terms)) // term ids in the dictionary's order
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return strings.Compare(f.terms[x], f.terms[y]) })
	postings, starts := f.byTerm(order)

	if err := w.startDictionary(); err != nil {
		return 0, err
	}
	if f.docValues {
		w.dvTerms = slices.Grow(w.dvTerms[:0], b.numDocs)[:b.numDocs]
		for i := range w.dvTerms {
			w.dvTerms[i] = w.dvTerms[i][:0]
		}
	}
	for rank, id := range order {
		term := f.terms[id]
		ps := postings[starts[rank]:starts[rank+1]]
		offset := w.postings(ps, f.lens, b.numDocs)
		// vellum copies what it keeps of a key and never writes to it.
		if err := w.fst.Insert(unsafe.Slice(unsafe.StringData(term), len(term)), offset); err != nil {
			return 0, fmt.Errorf("term dictionary: %w", err)
		}
		if f.docValues {
			for _, p := range ps {
				w.dvTerms[p.doc] = append(append(w.dvTerms[p.doc], term...), dvTermSeparator)
			}
		}
	}
	dictOffset := uint64(len(w.buf))
	var err error
	if w.buf, err = w.appendDictionary(w.buf); err != nil {
		return 0, err
	}

	dvStart, dvEnd := noDocValues, noDocValues
	if f.docValues {
		dvStart = uint64(len(w.buf))
		w.dv.reset(f.opts, uint64(b.numDocs), w)
		for _, x := range f.extra {
			w.dvTerms[x.doc] = append(append(w.dvTerms[x.doc], x.value...), dvTermSeparator)
		}
		for doc, terms := range w.dvTerms {
			if len(terms) > 0 {
				w.dv.add(uint64(doc), terms)
			}
		}
		if err := w.dv.finish(); err != nil {
			return 0, err
		}
		w.buf = w.dv.appendTrailer(w.buf)
		dvEnd = uint64(len(w.buf))
	}
	addr := uint64(len(w.buf))
	w.buf = appendFieldRecord(w.buf, dvStart, dvEnd, dictOffset)
	return addr, nil
}

// byTerm sorts the field's postings by term rank, keeping document order
// within a term, and merges the postings of a document's repeated field; it
// returns them with where each rank's begin (len(order)+1 entries).
func (f *field) byTerm(order []uint32) ([]posting, []int) {
	rank := make([]uint32, len(order))
	for r, id := range order {
		rank[id] = uint32(r)
	}
	starts := make([]int, len(order)+1)
	for _, p := range f.postings {
		starts[rank[p.term]+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	next := slices.Clone(starts[:len(order)])
	sorted := make([]posting, len(f.postings))
	for _, p := range f.postings {
		r := rank[p.term]
		sorted[next[r]] = p
		next[r]++
	}
	// A document's field given twice puts one posting per term in each;
	// they lie side by side now.
	out, j := sorted[:0], 0
	for r := range order {
		begin := len(out)
		for ; j < starts[r+1]; j++ {
			p := sorted[j]
			if n := len(out); n > begin && out[n-1].doc == p.doc {
				out[n-1].freq += p.freq
				continue
			}
			out = append(out, p)
		}
		starts[r] = begin
	}
	starts[len(order)] = len(out)
	return out, starts
}

// postings writes one term's postings, its frequencies and norms, then the
// postings record zap's dictionary points at, and returns that record's
// offset.
func (w *writer) postings(ps []posting, lens []uint32, numDocs int) uint64 {
	w.tf.reset(chunkSize(uint64(len(ps)), uint64(numDocs)), uint64(numDocs-1))
	w.docs = w.docs[:0]
	for _, p := range ps {
		w.tf.add(uint64(p.doc), uint64(p.freq)<<1, p.freq > 0, uint64(lens[p.doc]))
		w.docs = append(w.docs, p.doc)
	}
	var offset uint64
	w.buf, offset = w.appendPostings(w.buf, 0)
	return offset
}

// chunkSize is zap's chunk mode 1026: as few chunks as hold at most 1024
// postings each, splitting the documents evenly.
func chunkSize(cardinality, numDocs uint64) uint64 {
	size := numDocs / (cardinality/1024 + 1)
	if size == 0 {
		return 1 // zap fails here; a term has more postings than documents only by a bug
	}
	return size
}
