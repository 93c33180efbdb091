package index

import (
	"sync"
	"time"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/internal/article"
	"kho/internal/restore"
	"kho/internal/vntext"
)

// The writer builds each article's bleve document itself instead of handing
// bleve a map to walk with the mapping: the fields, options and analyzers are
// the mapping's (docbuild_test.go checks that both give the same index), but
// each text value is split into syllables and
// normalized once for its folded and its exact field, where the mapping
// analyzes it twice, and no reflection walks a map. The analysis still runs
// inside bleve's batch, on its worker goroutines.

// Indexing options, as mapping.go's field mappings give them.
const (
	titleOptions   = bleveindex.IndexField | bleveindex.StoreField
	indexOptions   = bleveindex.IndexField
	keywordOptions = bleveindex.IndexField | bleveindex.StoreField | bleveindex.DocValues
	facetOptions   = bleveindex.IndexField | bleveindex.DocValues
	storedOptions  = bleveindex.StoreField
	dateOptions    = bleveindex.IndexField | bleveindex.StoreField | bleveindex.DocValues
)

// keywordAnalyzer makes the whole value one term, as the mapping's keyword
// fields do.
var keywordAnalyzer = func() analysis.Analyzer {
	a := newMapping().AnalyzerNamed(keyword.Name)
	if a == nil {
		panic("index: bleve has no keyword analyzer")
	}
	return a
}()

// bleveDocument is the document the mapping makes of article a;
// hash is ContentHash(a).
func bleveDocument(a *article.Article, loc *time.Location, hash string) *bdoc.Document {
	d := bdoc.NewDocument(a.ID)
	addText(d, FieldTitle, titleOptions, []byte(a.Title), a.Title)
	var parts []string
	if a.Summary != "" {
		addKeyword(d, FieldSummary, storedOptions, nil, a.Summary)
		parts = append(parts, a.Summary)
	}
	if a.Body != "" {
		addKeyword(d, FieldBody, storedOptions, nil, a.Body)
		parts = append(parts, a.Body)
	}
	for i, c := range a.Captions {
		addKeyword(d, FieldCaptions, storedOptions, arrayPos(i), c)
		parts = append(parts, c)
	}
	if len(parts) > 0 {
		addText(d, FieldText, indexOptions, nil, parts...)
	}
	addKeyword(d, FieldSource, keywordOptions, nil, a.Source)
	for _, f := range []struct{ name, value string }{
		{FieldAuthor, a.Author}, {FieldCategory, a.Category},
	} {
		if f.value != "" {
			addKeyword(d, f.name, keywordOptions, nil, f.value)
		}
	}
	for i, t := range a.Tags {
		addKeyword(d, FieldTags, keywordOptions, arrayPos(i), t)
	}
	if a.URL != "" {
		addKeyword(d, FieldURL, storedOptions, nil, a.URL)
	}
	for i, r := range a.ReadingList {
		addKeyword(d, FieldReadingList, storedOptions, arrayPos(i), r)
	}
	addKeyword(d, FieldPublishedFrom, storedOptions, nil, a.PublishedFrom)
	addKeyword(d, FieldHash, storedOptions, nil, hash)
	month := ""
	if !a.Published.IsZero() {
		t := a.Published.In(loc)
		if f, err := newDateField(a.Published); err == nil {
			d.AddField(f)
		}
		month = t.Format("2006-01")
		addKeyword(d, FieldYear, facetOptions, nil, t.Format("2006"))
		addKeyword(d, FieldMonth, facetOptions, nil, month)
	}
	addKeyword(d, FieldFacets, facetOptions, nil, facetTerm(month, a.Category, a.Source))
	return d
}

// dateField is an article's date, stored as bleve's DateTimeField stores it
// and indexed as one term, the date at full precision, which the columns
// read from its doc values (columns.go). bleve indexes fifteen more, the
// date at coarser and coarser precisions, for its date range queries; kho
// filters dates with the columns instead (datedQuery), and those terms,
// most of them found in no other article, cost 9 % of an ingest's CPU
// (BENCHMARKS.md "Ingest").
type dateField struct {
	*bdoc.DateTimeField
	term  numeric.PrefixCoded // the date at full precision: shift 0
	terms bleveindex.TokenFrequencies
}

// newDateField is the published field of an article published at t; an
// error when bleve cannot represent t.
func newDateField(t time.Time) (*dateField, error) {
	f, err := bdoc.NewDateTimeFieldWithIndexingOptions(FieldPublished, nil, t, time.RFC3339, dateOptions)
	if err != nil {
		return nil, err
	}
	return &dateField{DateTimeField: f, term: numeric.MustNewPrefixCodedInt64(t.UnixNano(), 0)}, nil
}

func (f *dateField) Analyze() {
	tf := &bleveindex.TokenFreq{Term: f.term}
	tf.SetFrequency(1)
	f.terms = bleveindex.TokenFrequencies{string(f.term): tf}
}

// Size adds the one term, its map entry and TokenFreq to the field's own.
func (f *dateField) Size() int { return f.DateTimeField.Size() + 96 }

func (f *dateField) AnalyzedLength() int                                   { return 1 }
func (f *dateField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.terms }

// arrayPos is the array position of value i of a multi-valued field: the
// mapping gives every value of a slice one, even a lone value.
func arrayPos(i int) []uint64 { return []uint64{uint64(i)} }

func addKeyword(d *bdoc.Document, name string, opts bleveindex.FieldIndexingOptions, pos []uint64, value string) {
	d.AddField(bdoc.NewTextFieldCustom(name, pos, []byte(value), opts, keywordAnalyzer))
}

// addText adds the indexed fields of a searched field whose text is parts,
// each analyzed on its own: folded, exact, and the title's pairs or the
// text's syllable sequence (sequence.go); opts and stored are the folded
// field's (the title stores its value there).
//
// The mapping gives the text field one bleve field per part, and zap merges
// their term maps, the body's into the summary's, on the one core that
// builds the segment: 9 % of the ingest's CPU (BENCHMARKS.md "Ingest").
// Here each field is one bleve field with the terms of all parts, which is
// what the index holds either way.
func addText(d *bdoc.Document, name string, opts bleveindex.FieldIndexingOptions, stored []byte, parts ...string) {
	a := &textAnalysis{parts: parts, withSeq: !hasPairs(name)}
	d.AddField(&analyzedField{name: name, opts: opts, value: stored, text: a, kind: termsFolded})
	d.AddField(&analyzedField{name: name + ExactSuffix, opts: indexOptions, text: a, kind: termsExact})
	if a.withSeq {
		d.AddField(&seqField{name: name + SeqSuffix, text: a})
	} else {
		d.AddField(&analyzedField{name: name + PairsSuffix, opts: indexOptions, text: a, kind: termsPairs})
	}
}

// The three term sets of a text.
const (
	termsFolded = iota
	termsExact
	termsPairs
)

// textAnalysis analyzes a text for its fields at once, on first use:
// whichever field bleve analyzes first does the work, on bleve's analysis
// workers. withSeq: the text's syllable sequence instead of its pairs.
type textAnalysis struct {
	once    sync.Once
	parts   []string
	withSeq bool
	seq     []byte
	terms   [3]bleveindex.TokenFrequencies
	length  [3]int
	size    [3]int // bytes of terms, for Size
	// forms are what the diacritics model learns of the text: the exact
	// term of each syllable, restore.ClauseBreak between clauses and parts
	// (restore.AppendForms of each part, made here at no extra cost).
	forms []string
}

// analyzedField is one of a text's three indexed fields. It stands in for
// bleve's TextField, whose Analyze would run an analyzer per field and build
// a token stream and its term map from it.
type analyzedField struct {
	name  string
	opts  bleveindex.FieldIndexingOptions
	value []byte // stored, when opts say so
	text  *textAnalysis
	kind  int
}

func (f *analyzedField) Name() string                             { return f.name }
func (f *analyzedField) ArrayPositions() []uint64                 { return nil }
func (f *analyzedField) Options() bleveindex.FieldIndexingOptions { return f.opts }
func (f *analyzedField) Value() []byte                            { return f.value }
func (f *analyzedField) EncodedFieldType() byte                   { return 't' }
func (f *analyzedField) Analyze()                                 { f.text.once.Do(f.text.run) }
func (f *analyzedField) AnalyzedLength() int                      { return f.text.length[f.kind] }
func (f *analyzedField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies {
	return f.text.terms[f.kind]
}

func (f *analyzedField) NumPlainTextBytes() uint64 {
	n := 0
	for _, p := range f.text.parts {
		n += len(p)
	}
	return uint64(n)
}

// Size estimates the memory the field holds, as bleve's fields do for its
// accounting of a batch.
func (f *analyzedField) Size() int {
	const perTerm = 64 // map entry, TokenFreq
	return 64 + len(f.name) + len(f.value) + len(f.text.terms[f.kind])*perTerm + f.text.size[f.kind]
}

// run does what the syllable tokenizer and the normalize, fold, marked and
// pair filters do (analysis.go), then bleve's analysis.TokenFrequency, for each
// part, adding up the counts; no token is made, and a term's bytes and its
// TokenFreq are allocated once per text, in bulk.
func (s *textAnalysis) run() {
	n := 0
	for _, p := range s.parts {
		n += len(p)
	}
	for k := range s.terms {
		if k != termsPairs || !s.withSeq {
			s.terms[k] = make(bleveindex.TokenFrequencies, n/16)
		}
	}
	c := counter{keep: make([]byte, 0, n)}
	s.forms = make([]string, 0, n/5+len(s.parts)) // a syllable and its space: ~5 bytes
	if s.withSeq {
		s.seq = append(make([]byte, 0, n*3/4), seqHeader) // a 3-byte code per syllable of ~4 bytes
	}
	var folded, pair []byte
	var prev string
	syls := tokenBuffers.Get().(*[]vntext.Token)
	seen := *seenSyllables.Get().(*map[string]syllableEntry)
	for pi, p := range s.parts {
		if pi > 0 {
			s.forms = append(s.forms, restore.ClauseBreak)
			if s.withSeq {
				s.seq = appendSeqBoundary(s.seq)
			}
		}
		*syls = vntext.AppendSyllables((*syls)[:0], p)
		for i, syl := range *syls {
			if i > 0 && !restore.Joins(p[(*syls)[i-1].End:syl.Start]) {
				s.forms = append(s.forms, restore.ClauseBreak)
			}
			// A syllable met before in the text, as written, is counted
			// again without normalizing, folding and hashing it again:
			// more than half of a body's syllables are.
			e, ok := seen[syl.Text]
			if ok {
				if e.exact != nil {
					e.exact.SetFrequency(e.exact.Frequency() + 1)
					s.length[termsExact]++
				}
				e.folded.SetFrequency(e.folded.Frequency() + 1)
			} else {
				form := restore.Form(syl.Text)
				folded = vntext.AppendFold(folded[:0], form)
				e.foldedTerm, e.folded = s.count(&c, termsFolded, unsafe.String(unsafe.SliceData(folded), len(folded)))
				if e.exactTerm, e.exact = e.foldedTerm, nil; form != e.foldedTerm { // markedFilter
					e.exactTerm, e.exact = s.count(&c, termsExact, form)
					s.length[termsExact]++
				}
				e.code = syllableCode(folded)
				seen[syl.Text] = e
			}
			s.forms = append(s.forms, e.exactTerm)
			switch {
			case s.withSeq:
				s.seq = append(s.seq, e.code[:]...)
			case i > 0:
				pair = append(append(append(pair[:0], prev...), PairSeparator...), e.foldedTerm...)
				s.count(&c, termsPairs, unsafe.String(unsafe.SliceData(pair), len(pair)))
			}
			prev = e.foldedTerm
		}
		s.length[termsFolded] += len(*syls)
		if len(*syls) > 1 && !s.withSeq {
			s.length[termsPairs] += len(*syls) - 1
		}
	}
	tokenBuffers.Put(syls)
	clear(seen) // its entries point into this text's terms
	seenSyllables.Put(&seen)
}

// tokenBuffers hold the syllables of a part while it is analyzed.
var tokenBuffers = sync.Pool{New: func() any { return new([]vntext.Token) }}

// syllableEntry is what a text's analysis worked out for a syllable as
// written: its terms, their counts and its sequence code. A text keeps one
// per syllable it has met (seenSyllables). exact is nil for a syllable
// written without marks, which the exact field leaves out (markedFilter).
type syllableEntry struct {
	exactTerm, foldedTerm string
	exact, folded         *bleveindex.TokenFreq
	code                  [seqCodeLen]byte
}

var seenSyllables = sync.Pool{New: func() any {
	m := make(map[string]syllableEntry, 512)
	return &m
}}

// counter holds the bytes of a text's terms and the TokenFreqs it hands out.
type counter struct {
	keep []byte // the terms' bytes, never written again: map keys point into it
	slab []bleveindex.TokenFreq
}

// count adds one occurrence of term to the terms of kind and returns the
// term as kept and its count; term is the caller's to reuse.
func (s *textAnalysis) count(c *counter, kind int, term string) (string, *bleveindex.TokenFreq) {
	terms := s.terms[kind]
	if tf, ok := terms[term]; ok {
		tf.SetFrequency(tf.Frequency() + 1)
		return unsafe.String(unsafe.SliceData(tf.Term), len(tf.Term)), tf
	}
	// A buffer that grows leaves the bytes of earlier keys where they are.
	at := len(c.keep)
	c.keep = append(c.keep, term...)
	kept := c.keep[at:len(c.keep):len(c.keep)]
	if len(c.slab) == 0 {
		c.slab = make([]bleveindex.TokenFreq, 256)
	}
	tf := &c.slab[0]
	c.slab = c.slab[1:]
	tf.Term = kept
	tf.SetFrequency(1)
	keptTerm := unsafe.String(unsafe.SliceData(kept), len(kept))
	terms[keptTerm] = tf
	s.size[kind] += len(kept)
	return keptTerm, tf
}
