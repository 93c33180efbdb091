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
	counts  [3]termCounts
	length  [3]int
	// spelled is what the diacritics model learns of the text: its
	// syllables' exact terms, each syllable as written once, and for each
	// syllable which one, restore.Break between clauses and parts
	// (restore.Spell of each part, made here at no extra cost).
	spelled restore.Spelled
	maps    [3]struct { // bleve's term maps, made when asked for (see termCounts)
		once sync.Once
		m    bleveindex.TokenFrequencies
	}
}

// termCounts are one kind of a text's terms, each once, in the order the
// text has them first, and how often it has each. zapbuild reads them as
// they are; a map of TokenFreqs, what bleve's fields hold, cost a text an
// allocation per term and was most of what a batch held in memory.
type termCounts struct {
	terms []string
	freqs []uint32
	bytes int // of the terms, for Size
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

// Terms lists the field's terms and their frequencies, for zapbuild.
func (f *analyzedField) Terms() ([]string, []uint32) {
	c := &f.text.counts[f.kind]
	return c.terms, c.freqs
}

// AnalyzedTokenFrequencies is what zap's own builder reads (zapbuild
// leaves a batch to it only in cases kho's documents never are) and what
// tests compare with bleve's analyzers.
func (f *analyzedField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies {
	m := &f.text.maps[f.kind]
	m.once.Do(func() {
		c := f.text.counts[f.kind]
		m.m = make(bleveindex.TokenFrequencies, len(c.terms))
		for i, t := range c.terms {
			tf := &bleveindex.TokenFreq{Term: []byte(t)}
			tf.SetFrequency(int(c.freqs[i]))
			m.m[t] = tf
		}
	})
	return m.m
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
	const perTerm = 20 // string header, count
	c := f.text.counts[f.kind]
	return 64 + len(f.name) + len(f.value) + len(c.terms)*perTerm + c.bytes
}

// run does what the syllable tokenizer and the normalize, fold, marked and
// pair filters do (analysis.go), then bleve's analysis.TokenFrequency, for each
// part, adding up the counts; no token is made, and the terms' bytes are
// allocated once per text.
func (s *textAnalysis) run() {
	n := 0
	for _, p := range s.parts {
		n += len(p)
	}
	distinct := distinctTerms(n)
	for k := range s.counts {
		if k != termsPairs || !s.withSeq {
			s.counts[k] = termCounts{terms: make([]string, 0, distinct), freqs: make([]uint32, 0, distinct)}
		}
	}
	keep := make([]byte, 0, n)                               // the terms' bytes, never written again: terms point into it
	s.spelled.Seq = make([]int32, 0, n/5+len(s.parts))       // a syllable and its space: ~5 bytes
	s.spelled.Forms = make([]string, 0, distinct+distinct/2) // syllables as written: "Hà" and "hà" are two
	if s.withSeq {
		s.seq = append(make([]byte, 0, n*3/4), seqHeader) // a 3-byte code per syllable of ~4 bytes
	}
	var folded, pair []byte
	var prev string
	pool := scratchFor(n)
	w := pool.Get().(*analysisScratch)
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
				if e.exact >= 0 {
					s.counts[termsExact].freqs[e.exact]++
					s.length[termsExact]++
				}
				s.counts[termsFolded].freqs[e.folded]++
			} else {
				form := restore.Form(syl.Text)
				folded = vntext.AppendFold(folded[:0], form)
				at = int32(len(w.entries))
				w.seen[syl.Text] = at
				w.entries = append(w.entries, syllableEntry{code: syllableCode(folded), exact: -1})
				e = &w.entries[at]
				e.foldedTerm, e.folded = s.count(w, &keep, termsFolded, unsafe.String(unsafe.SliceData(folded), len(folded)))
				if e.exactTerm = e.foldedTerm; form != e.foldedTerm { // markedFilter
					e.exactTerm, e.exact = s.count(w, &keep, termsExact, form)
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
				s.count(w, &keep, termsPairs, unsafe.String(unsafe.SliceData(pair), len(pair)))
			}
			prev = e.foldedTerm
		}
		s.length[termsFolded] += len(w.syls)
		if len(w.syls) > 1 && !s.withSeq {
			s.length[termsPairs] += len(w.syls) - 1
		}
	}
	w.reset()
	pool.Put(w)
}

// syllableEntry is what a text's analysis worked out for a syllable as
// written: its terms, their indexes in the text's counts and its sequence
// code. exact is -1 for a syllable written without marks, which the exact
// field leaves out (markedFilter).
type syllableEntry struct {
	exactTerm, foldedTerm string
	exact, folded         int32
	code                  [seqCodeLen]byte
}

// analysisScratch is what an analysis works with and leaves for the next
// one: the syllables of a part, the entry of each syllable met in the
// text, by its index in entries (clearing a map costs by its slots, and an
// entry is three times a slot's size), and each kind's terms met, by their
// index in the text's counts.
type analysisScratch struct {
	syls    []vntext.Token
	seen    map[string]int32
	entries []syllableEntry
	index   [3]map[string]int32
}

// analysisScratches keep scratches for short texts (titles) apart from
// those for long ones: emptying a map costs by its size, and a title's
// maps need not be a body's.
var analysisScratches = [2]sync.Pool{{New: newScratch(32)}, {New: newScratch(512)}}

func newScratch(size int) func() any {
	return func() any {
		w := &analysisScratch{seen: make(map[string]int32, size)}
		for k := range w.index {
			w.index[k] = make(map[string]int32, size)
		}
		return w
	}
}

// scratchFor picks the pool for a text of n bytes.
func scratchFor(n int) *sync.Pool {
	if n < 1024 {
		return &analysisScratches[0]
	}
	return &analysisScratches[1]
}

// reset forgets the text: its entries point into its terms and its
// syllables into its parts.
func (w *analysisScratch) reset() {
	clear(w.seen)
	clear(w.entries)
	w.entries = w.entries[:0]
	clear(w.syls)
	w.syls = w.syls[:0]
	for _, m := range w.index {
		clear(m)
	}
}

// distinctTerms guesses how many distinct terms of one kind a text of n
// bytes has, to allocate its terms and their counts at once and no more: a
// syllable takes ~6 bytes with its space, and the longer a text, the more
// of its syllables are ones it had before. On the synthetic archive: 12 in
// a 74-byte title, 141 in 1.5 KB, 270 in a 4 KB body, 494 in 10 KB (the
// guess: 15, 138, 272, 551). Allocating 256 counts a text cost a title
// twenty times what it used and was a fifth of an ingest's allocations.
func distinctTerms(n int) int { return int(0.7*math.Pow(float64(n), 0.72)) + 4 }

// count adds one occurrence of term to the terms of kind and returns the
// term as kept and its index; term is the caller's to reuse.
func (s *textAnalysis) count(w *analysisScratch, keep *[]byte, kind int, term string) (string, int32) {
	c := &s.counts[kind]
	if i, ok := w.index[kind][term]; ok {
		c.freqs[i]++
		return c.terms[i], i
	}
	// A buffer that grows leaves the bytes of earlier terms where they are.
	at := len(*keep)
	*keep = append(*keep, term...)
	kept := unsafe.String(unsafe.SliceData((*keep)[at:]), len(term))
	i := int32(len(c.terms))
	c.terms = append(c.terms, kept)
	c.freqs = append(c.freqs, 1)
	c.bytes += len(kept)
	w.index[kind][kept] = i
	return kept, i
}
