package zapbuild

import (
	"slices"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// builder holds one batch, inverted: for each field its terms and postings,
// and each document's stored values. It is reused from batch to batch.
type builder struct {
	numDocs int
	fields  []*field          // in order of first appearance, until write sorts them
	byName  map[string]int    // index in fields
	stored  []storedValue     // every document's, in order
	docEnd  []int             // end of each document's values in stored
	lastLen int               // bytes of the last segment written: the next one's guess
	spare   map[string]*field // fields of earlier batches by name, for reuse
	w       writer
}

// field is one field of the batch.
type field struct {
	name      string
	opts      index.FieldIndexingOptions
	dict      map[string]uint32 // term → id, ids in order of first appearance
	byNumber  []uint32          // a numbered term's id + 1 in this batch, 0 if not met (TermNumberer)
	numbered  []uint32          // the numbers met in this batch
	terms     []string          // by id
	postings  []posting         // in document order
	lens      []uint32          // by document: the field's analyzed length, for norms
	extra     []extraValue      // doc values beside the terms', in document order
	id        int               // the field's number in the segment, set by write
	docValues bool
}

// posting is one document's occurrences of a term.
type posting struct {
	term, doc, freq uint32
}

// extraValue is a doc value zap adds as it is, after a document's terms:
// a geo shape's encoding (kho's word sequences use this, index/sequence.go).
type extraValue struct {
	doc   uint32
	value []byte
}

// storedValue is one stored value of a document's field.
type storedValue struct {
	field    int // index in builder.fields
	typ      byte
	value    []byte
	arrayPos []uint64
}

func (b *builder) reset() {
	for _, f := range b.fields {
		clear(f.dict)
		for _, n := range f.numbered {
			f.byNumber[n] = 0
		}
		f.numbered = f.numbered[:0]
		clear(f.terms) // they point into the batch's documents
		f.terms = f.terms[:0]
		f.postings = f.postings[:0]
		f.lens = f.lens[:0]
		clear(f.extra)
		f.extra = f.extra[:0]
		b.spare[f.name] = f
	}
	b.fields = b.fields[:0]
	clear(b.byName)
	clear(b.stored) // drop the references to the batch's values
	b.stored = b.stored[:0]
	b.docEnd = b.docEnd[:0]
	b.numDocs = 0
}

// invert reads the batch's documents into the builder, after the declared
// fields (Plugin.Fields). It returns false, having read part of them, when a
// document needs what only zap's builder does.
func (b *builder) invert(docs []index.Document, declared map[string]index.FieldIndexingOptions) bool {
	if b.byName == nil {
		b.byName, b.spare = map[string]int{}, map[string]*field{}
	}
	b.numDocs = len(docs)
	b.fieldNamed("_id") // zap numbers _id 0 and keeps it first
	for name, opts := range declared {
		b.fieldNamed(name).opts = opts
	}
	ok := true
	for doc, d := range docs {
		if !plain(d) {
			return false
		}
		d.VisitFields(func(fl index.Field) {
			if !ok {
				return
			}
			if !plainField(fl) {
				ok = false
				return
			}
			b.add(uint32(doc), fl)
		})
		if !ok {
			return false
		}
		b.docEnd = append(b.docEnd, len(b.stored))
	}
	return true
}

// plain reports whether a document has neither composite fields nor nested
// documents.
func plain(d index.Document) bool {
	composite := false
	d.VisitComposite(func(index.CompositeField) { composite = true })
	if composite {
		return false
	}
	if n, ok := d.(index.NestedDocument); ok {
		nested := false
		n.VisitNestedDocuments(func(index.Document) { nested = true })
		return !nested
	}
	return true
}

// plainField reports whether zap's inverted index section alone handles a
// field, without term locations.
func plainField(f index.Field) bool {
	switch f.(type) {
	case index.GeoShapeV2Field, index.SynonymField: // vectors need the vectors build tag, which kho does not use
		return false
	}
	return !f.Options().IncludeTermVectors()
}

func (b *builder) fieldNamed(name string) *field {
	_, f := b.fieldIndex(name)
	return f
}

// fieldIndex returns the field named name and its index in b.fields,
// adding it when new.
func (b *builder) fieldIndex(name string) (int, *field) {
	if i, ok := b.byName[name]; ok {
		return i, b.fields[i]
	}
	// A field takes back its own buffers, grown to its size in earlier
	// batches: handed another field's, the body's postings grew again
	// batch after batch (9 s of CPU at a million articles).
	f := b.spare[name]
	if f != nil {
		delete(b.spare, name)
		f.opts, f.docValues = 0, false
	} else {
		f = &field{dict: map[string]uint32{}}
	}
	f.name = name
	i := len(b.fields)
	b.byName[name] = i
	b.fields = append(b.fields, f)
	return i, f
}

// add records one field of document doc: its stored value, its terms and
// its length. A field given twice in a document (a list) adds up, as zap
// merges the term frequencies of a document's fields of one name.
func (b *builder) add(doc uint32, fl index.Field) {
	fi, f := b.fieldIndex(fl.Name())
	opts := fl.Options()
	f.opts |= opts
	if opts.IncludeDocValues() {
		f.docValues = true
	}
	if opts.IsStored() {
		b.stored = append(b.stored, storedValue{field: fi, typ: fl.EncodedFieldType(),
			value: fl.Value(), arrayPos: fl.ArrayPositions()})
	}
	if len(f.lens) < b.numDocs {
		f.lens = slices.Grow(f.lens[:0], b.numDocs)[:b.numDocs]
		clear(f.lens)
	}
	f.lens[doc] += uint32(fl.AnalyzedLength())
	if g, ok := fl.(index.GeoShapeField); ok {
		f.extra = append(f.extra, extraValue{doc: doc, value: g.EncodedShape()})
	}
	if l, ok := fl.(TermLister); ok {
		terms, freqs := l.Terms()
		var nums []uint32
		if n, ok := fl.(TermNumberer); ok {
			nums = n.TermNumbers()
		}
		for i, t := range terms {
			if nums != nil && nums[i] != NoTerm {
				f.addNumbered(doc, t, nums[i], freqs[i])
				continue
			}
			f.addPosting(doc, t, int(freqs[i]))
		}
		return
	}
	for term, tf := range fl.AnalyzedTokenFrequencies() {
		f.addPosting(doc, term, tf.Frequency())
	}
}

// TermLister is a field that lists its terms and their frequencies
// itself, each term once, rather than in AnalyzedTokenFrequencies' map
// of TokenFreqs: lists cost a field less to make and to walk. The strings
// must not change until the segment is built.
type TermLister interface {
	Terms() (terms []string, freqs []uint32)
}

// TermNumberer is a TermLister that also numbers its terms: the same
// number for the same term in every document of every batch, NoTerm for a
// term it has none for. A numbered term is found in a slice, not in the
// field's map: a map lookup per posting took 44 s of CPU at a million
// articles, most of it waiting for memory.
type TermNumberer interface {
	TermNumbers() []uint32 // one per term of Terms
}

// NoTerm is the number of a term without one.
const NoTerm = ^uint32(0)

func (f *field) addNumbered(doc uint32, term string, num, freq uint32) {
	if int(num) >= len(f.byNumber) {
		n := max(int(num)+1, 2*len(f.byNumber), 1024)
		f.byNumber = append(f.byNumber, make([]uint32, n-len(f.byNumber))...)
	}
	id := f.byNumber[num]
	if id == 0 {
		id = f.termID(term) + 1
		f.byNumber[num] = id
		f.numbered = append(f.numbered, num)
	}
	f.postings = append(f.postings, posting{term: id - 1, doc: doc, freq: freq})
}

func (f *field) addPosting(doc uint32, term string, freq int) {
	f.postings = append(f.postings, posting{term: f.termID(term), doc: doc, freq: uint32(freq)})
}

// termID returns the term's id in the batch, adding it when new.
func (f *field) termID(term string) uint32 {
	id, ok := f.dict[term]
	if !ok {
		id = uint32(len(f.terms))
		f.dict[term] = id
		f.terms = append(f.terms, term)
	}
	return id
}

// sortedFields numbers the fields as zap does, _id first and the others by
// name, and returns them in that order.
func (b *builder) sortedFields() []*field {
	fs := slices.Clone(b.fields)
	slices.SortFunc(fs[1:], func(x, y *field) int { return strings.Compare(x.name, y.name) })
	for i, f := range fs {
		f.id = i
	}
	return fs
}
