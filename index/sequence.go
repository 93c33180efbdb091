package index

import (
	"bytes"
	"fmt"
	"reflect"
	"unsafe"

	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"

	"kho/index/zapbuild"
)

// The syllable sequence of the text field (summary, body and captions):
// each article's folded syllables in order, one 3-byte code each, kept in
// the field's doc values (SeqSuffix). A quoted phrase in the text is found
// from its syllables' postings, then checked in the sequence of each
// candidate: the codes of the phrase must stand next to each other.
//
// The text has no pairs field, as the title has: a pair term for every two
// neighbouring syllables of every body was more than half of the CPU of an
// ingest (zap builds, writes and merges a postings list per distinct term,
// and most pairs of a body are found in no other article of its batch).
// Writing the sequence costs next to nothing, and checking one article's
// sequence a few hundred nanoseconds, where the stored text cost tens of
// microseconds to decompress and split into syllables again.
//
// A code is a hash of the folded syllable: two different syllables share
// one with odds of 1 in 16 million, and a false match needs that and the
// neighbour too, so a phrase may, once in a great many articles, match an
// article that has its syllables' codes side by side but not the syllables.

// SeqSuffix names the text field's syllable sequence: FieldText + SeqSuffix.
const SeqSuffix = "_seq"

// The bytes of a sequence. zap separates the values of a doc value with
// 0xff, so a sequence never holds it: a code is three digits in base 253,
// a boundary between two values of the text (summary, body, each caption,
// which no phrase spans, as no pair does) is three seqBoundary bytes, and
// a sequence starts with seqHeader, which tells it from the field's one
// term.
const (
	seqDigits   = 253
	seqBoundary = 253
	seqHeader   = 254
	seqCodeLen  = 3
)

// syllableCode is the code of folded syllable s.
func syllableCode(s []byte) [seqCodeLen]byte {
	h := uint32(2166136261) // FNV-1a
	for _, c := range s {
		h = (h ^ uint32(c)) * 16777619
	}
	h %= seqDigits * seqDigits * seqDigits
	return [seqCodeLen]byte{byte(h % seqDigits), byte(h / seqDigits % seqDigits), byte(h / (seqDigits * seqDigits))}
}

// appendSyllableCode appends the code of folded syllable s.
func appendSyllableCode(buf []byte, s []byte) []byte {
	code := syllableCode(s)
	return append(buf, code[:]...)
}

// appendSeqBoundary ends one value of the text in a sequence.
func appendSeqBoundary(buf []byte) []byte {
	return append(buf, seqBoundary, seqBoundary, seqBoundary)
}

// phraseCodes is the codes of a phrase's folded syllables, one after the
// other, as a sequence holds them.
func phraseCodes(folded []string) []byte {
	out := make([]byte, 0, len(folded)*seqCodeLen)
	for _, s := range folded {
		out = appendSyllableCode(out, []byte(s))
	}
	return out
}

// seqHasRun reports whether sequence seq (without its header) holds codes
// at a code's boundary.
func seqHasRun(seq, codes []byte) bool {
	for off := 0; len(codes) > 0 && off+len(codes) <= len(seq); {
		i := bytes.Index(seq[off:], codes)
		if i < 0 {
			return false
		}
		if (off+i)%seqCodeLen == 0 {
			return true
		}
		off += i + 1
	}
	return false
}

// seqTerm is the seq field's one term, the same in every article: zap
// merges a field's doc values only along with its dictionary, so the field
// must have a term in every segment.
var seqTerm = func() bleveindex.TokenFrequencies {
	tf := &bleveindex.TokenFreq{Term: []byte("s")}
	tf.SetFrequency(1)
	return bleveindex.TokenFrequencies{"s": tf}
}()

// seqOptions: the sequence is read one article at a time, so each
// article's is a chunk of its own, not compressed (a code compresses
// little).
const seqOptions = bleveindex.IndexField | bleveindex.DocValues | bleveindex.SkipDVChunking | bleveindex.SkipDVCompression

// seqField is a text's sequence as a bleve field. zap builds a field's doc
// values from its terms, in term order, and adds the encoded shape of a
// geo shape field as it is: seqField says it is one (GeoShape, never
// called for a field bleve did not map as a geo shape, returns nothing) so
// that the sequence reaches the doc values whole, without a term.
type seqField struct {
	name string
	text *textAnalysis
}

func (f *seqField) Name() string                             { return f.name }
func (f *seqField) ArrayPositions() []uint64                 { return nil }
func (f *seqField) Options() bleveindex.FieldIndexingOptions { return seqOptions }
func (f *seqField) Value() []byte                            { return nil }
func (f *seqField) EncodedFieldType() byte                   { return 't' }
func (f *seqField) Analyze()                                 { f.text.once.Do(f.text.run) }
func (f *seqField) AnalyzedLength() int                      { return 1 }
func (f *seqField) NumPlainTextBytes() uint64                { return 0 }
func (f *seqField) Size() int                                { return 64 + len(f.text.seq) }

func (f *seqField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return seqTerm }

// EncodedShape is the sequence, for the doc values.
func (f *seqField) EncodedShape() []byte {
	f.Analyze()
	return f.text.seq
}

func (f *seqField) GeoShape() (bleveindex.GeoJSON, error) { return nil, nil }

// seqFields is what a sequence is read with.
var seqFields = []string{FieldText + SeqSuffix}

// seqCheck looks for a phrase's codes in the sequences a doc value visitor
// is shown.
type seqCheck struct {
	codes []byte
	found bool
}

func (c *seqCheck) visit(_ string, v []byte) {
	if seqValueHasRun(v, c.codes) {
		c.found = true
	}
}

// seqValueHasRun reports whether v, a doc value of the seq field, is a
// sequence (seqHeader, then codes) with codes side by side.
func seqValueHasRun(v, codes []byte) bool {
	return len(v) > 0 && v[0] == seqHeader && seqHasRun(v[1:], codes)
}

// segmentSeqs reads the sequences of one segment's articles: straight from
// zap's bytes when it can (each article's sequence is a chunk of its own),
// else through zap's VisitDocValues, which looks the field up, loads the
// chunk and splits it at every 0xff for each article: three times the cost.
type segmentSeqs struct {
	// zap's bytes: article d's chunk is data[ends[d-1]:ends[d]].
	data []byte
	ends []uint64

	dv    segment.DocValueVisitable
	state segment.DocVisitState
	check seqCheck
	visit bleveindex.DocValueVisitor
}

func newSegmentSeqs(seg segment.Segment, codes []byte) (*segmentSeqs, error) {
	s := &segmentSeqs{check: seqCheck{codes: codes}}
	if s.data, s.ends = zapSeqChunks(seg); s.ends != nil {
		return s, nil
	}
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("phrase: segment %T has no doc values", seg)
	}
	s.dv = dv
	s.visit = s.check.visit
	return s, nil
}

// hasRun reports whether article doc of the segment has the codes side by
// side.
func (s *segmentSeqs) hasRun(doc uint64) (bool, error) {
	if s.ends == nil {
		s.check.found = false
		var err error
		if s.state, err = s.dv.VisitDocValues(doc, seqFields, s.visit, s.state); err != nil {
			return false, fmt.Errorf("phrase: sequence of article %d: %w", doc, err)
		}
		return s.check.found, nil
	}
	if doc >= uint64(len(s.ends)) {
		return false, nil
	}
	var start uint64
	if doc > 0 {
		start = s.ends[doc-1]
	}
	end := s.ends[doc]
	if start >= end || end > uint64(len(s.data)) {
		return false, nil
	}
	// The article's doc values: its term and its sequence, each followed
	// by 0xff.
	chunk := s.data[start:end]
	h := bytes.IndexByte(chunk, seqHeader)
	return h >= 0 && seqValueHasRun(chunk[h:len(chunk)-1], s.check.codes), nil
}

// zapSeqFields are the offsets of the unexported fields of zap's
// SegmentBase and docValueReader that zapSeqChunks reads (with
// zapFields.mem); ok is false when zap's structs do not have them with the
// types expected.
var zapSeqFields = func() (f struct {
	ok                                  bool
	fieldsMap, dvReaders, offsets, data uintptr
}) {
	f.ok = true
	// fieldDvReaders is [][]*docValueReader, by section and field.
	var reader reflect.Type
	readers := func(t reflect.Type) bool {
		if t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Slice || t.Elem().Elem().Kind() != reflect.Pointer ||
			t.Elem().Elem().Elem().Kind() != reflect.Struct {
			return false
		}
		reader = t.Elem().Elem().Elem()
		return true
	}
	sb := reflect.TypeFor[zap.SegmentBase]()
	f.fieldsMap = structField(sb, "fieldsMap", typeIs(reflect.TypeFor[map[string]uint16]()), &f.ok)
	f.dvReaders = structField(sb, "fieldDvReaders", readers, &f.ok)
	if reader != nil {
		f.offsets = structField(reader, "chunkOffsets", typeIs(reflect.TypeFor[[]uint64]()), &f.ok)
		f.data = structField(reader, "dvDataLoc", typeIs(reflect.TypeFor[uint64]()), &f.ok)
	}
	f.ok = f.ok && zapFields.ok
	return f
}()

// zapSeqChunks is the bytes of seg's sequence doc values and where each
// article's chunk ends, or nil when seg is not a zap segment read as it
// is on disk, or its sequences are not chunked by article.
func zapSeqChunks(seg segment.Segment) (data []byte, ends []uint64) {
	if !zapSeqFields.ok || bleveindex.ReaderHook != nil {
		return nil, nil
	}
	var sb *zap.SegmentBase
	switch s := zapbuild.Unwrap(seg).(type) {
	case *zap.Segment:
		sb = &s.SegmentBase
	case *zap.SegmentBase:
		sb = s
	default:
		return nil, nil
	}
	base := unsafe.Pointer(sb)
	fields := *(*map[string]uint16)(unsafe.Add(base, zapSeqFields.fieldsMap))
	id := fields[seqFields[0]]
	if id == 0 {
		return nil, nil
	}
	readers := *(*[][]unsafe.Pointer)(unsafe.Add(base, zapSeqFields.dvReaders))
	if len(readers) <= zap.SectionInvertedTextIndex || int(id-1) >= len(readers[zap.SectionInvertedTextIndex]) {
		return nil, nil
	}
	r := readers[zap.SectionInvertedTextIndex][id-1]
	if r == nil {
		return nil, nil
	}
	ends = *(*[]uint64)(unsafe.Add(r, zapSeqFields.offsets))
	loc := *(*uint64)(unsafe.Add(r, zapSeqFields.data))
	mem := *(*[]byte)(unsafe.Add(base, zapFields.mem))
	if uint64(len(ends)) != seg.Count() || loc > uint64(len(mem)) {
		return nil, nil // not one chunk per article
	}
	return mem[loc:], ends
}

// readerSeqs reads the sequences of an index reader's articles, for bleve's
// searchers.
type readerSeqs struct {
	dv    bleveindex.DocValueReader
	check seqCheck
}

func newReaderSeqs(r bleveindex.IndexReader, codes []byte) (*readerSeqs, error) {
	dv, err := r.DocValueReader(seqFields)
	if err != nil {
		return nil, err
	}
	return &readerSeqs{dv: dv, check: seqCheck{codes: codes}}, nil
}

func (s *readerSeqs) hasRun(id bleveindex.IndexInternalID) (bool, error) {
	s.check.found = false
	err := s.dv.VisitDocValues(id, s.check.visit)
	return s.check.found, err
}
