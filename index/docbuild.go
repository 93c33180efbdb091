package index

import (
	"math"
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
	// spelled is what the diacritics model learns of the text: its
	// syllables' exact terms, each syllable as written once, and for each
	// syllable which one, restore.Break between clauses and parts
	// (restore.Spell of each part, made here at no extra cost).
	spelled restore.Spelled
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
	distinct, kinds := distinctTerms(n), 0
	for k := range s.terms {
		if k != termsPairs || !s.withSeq {
			s.terms[k] = make(bleveindex.TokenFrequencies, distinct)
			kinds++
		}
	}
	c := counter{keep: make([]byte, 0, n), slab: make([]bleveindex.TokenFreq, distinct*kinds)}
	s.spelled.Seq = make([]int32, 0, n/5+len(s.parts))       // a syllable and its space: ~5 bytes
	s.spelled.Forms = make([]string, 0, distinct+distinct/2) // syllables as written: "Hà" and "hà" are two
	if s.withSeq {
		s.seq = append(make([]byte, 0, n*3/4), seqHeader) // a 3-byte code per syllable of ~4 bytes
	}
	var folded, pair []byte
	var prev string
	w := analysisScratches.Get().(*analysisScratch)
	for pi, p := range s.parts {
		if pi > 0 {
			s.spelled.Seq = append(s.spelled.Seq, restore.Break)
			if s.withSeq {
				s.seq = appendSeqBoundary(s.seq)
			}
		}
		w.syls = vntext.AppendSyllables(w.syls[:0], p)
		for i, syl := range w.syls {
			if i > 0 && !restore.Joins(p[w.syls[i-1].End:syl.Start]) {
				s.spelled.Seq = append(s.spelled.Seq, restore.Break)
			}
			// A syllable met before in the text, as written, is counted
			// again from its entry: more than half of a body's syllables
			// are.
			at, ok := w.seen[syl.Text]
			var e *syllableEntry
			if ok {
				e = &w.entries[at]
				if e.exact != nil {
					e.exact.SetFrequency(e.exact.Frequency() + 1)
					s.length[termsExact]++
				}
				e.folded.SetFrequency(e.folded.Frequency() + 1)
			} else {
				form := restore.Form(syl.Text)
				folded = vntext.AppendFold(folded[:0], form)
				at = int32(len(w.entries))
				w.seen[syl.Text] = at
				w.entries = append(w.entries, syllableEntry{code: syllableCode(folded)})
				e = &w.entries[at]
				e.foldedTerm, e.folded = s.count(&c, termsFolded, unsafe.String(unsafe.SliceData(folded), len(folded)))
				if e.exactTerm = e.foldedTerm; form != e.foldedTerm { // markedFilter
					e.exactTerm, e.exact = s.count(&c, termsExact, form)
					s.length[termsExact]++
				}
				s.spelled.Forms = append(s.spelled.Forms, e.exactTerm)
			}
			s.spelled.Seq = append(s.spelled.Seq, at)
			switch {
			case s.withSeq:
				s.seq = append(s.seq, e.code[:]...)
			case i > 0:
				pair = append(append(append(pair[:0], prev...), PairSeparator...), e.foldedTerm...)
				s.count(&c, termsPairs, unsafe.String(unsafe.SliceData(pair), len(pair)))
			}
			prev = e.foldedTerm
		}
		s.length[termsFolded] += len(w.syls)
		if len(w.syls) > 1 && !s.withSeq {
			s.length[termsPairs] += len(w.syls) - 1
		}
	}
	w.reset()
	analysisScratches.Put(w)
}

// syllableEntry is what a text's analysis worked out for a syllable as
// written: its terms, their counts and its sequence code. exact is nil for a
// syllable written without marks, which the exact field leaves out
// (markedFilter).
type syllableEntry struct {
	exactTerm, foldedTerm string
	exact, folded         *bleveindex.TokenFreq
	code                  [seqCodeLen]byte
}

// analysisScratch is what an analysis works with and leaves for the next
// one: the syllables of a part and the entry of each syllable met in the
// text, by its index in entries (clearing a map costs by its slots, and an
// entry is three times a slot's size).
type analysisScratch struct {
	syls    []vntext.Token
	seen    map[string]int32
	entries []syllableEntry
}

var analysisScratches = sync.Pool{New: func() any {
	return &analysisScratch{seen: make(map[string]int32, 512)}
}}

// reset forgets the text: its entries point into the text's terms and its
// syllables into its parts.
func (w *analysisScratch) reset() {
	clear(w.seen)
	clear(w.entries)
	w.entries = w.entries[:0]
	clear(w.syls)
	w.syls = w.syls[:0]
}

// distinctTerms guesses how many distinct terms of one kind a text of n
// bytes has, to allocate its terms and their counts at once and no more: a
// syllable takes ~6 bytes with its space, and the longer a text, the more
// of its syllables are ones it had before. On the synthetic archive: 12 in
// a 74-byte title, 141 in 1.5 KB, 270 in a 4 KB body, 494 in 10 KB (the
// guess: 15, 138, 272, 551). Allocating 256 counts a text cost a title
// twenty times what it used and was a fifth of an ingest's allocations.
func distinctTerms(n int) int { return int(0.7*math.Pow(float64(n), 0.72)) + 4 }

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
	if len(c.slab) == 0 { // distinctTerms guessed short
		c.slab = make([]bleveindex.TokenFreq, 64)
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
