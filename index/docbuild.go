package index

import (
	"math"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/index/zapbuild"
	"kho/internal/article"
	"kho/internal/front"
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
// hash is ContentHash(a). model, when not nil, is the diacritics model that
// will learn the article's text: its analysis notes the forms' ids in it.
func bleveDocument(a *article.Article, loc *time.Location, hash string, model *restore.Model) *bdoc.Document {
	d := bdoc.NewDocument(a.ID)
	addText(d, model, FieldTitle, titleOptions, []byte(a.Title), a.Title)
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
		addText(d, model, FieldText, indexOptions, nil, parts...)
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
// field's (the title stores its value there); model, if any, the
// diacritics model the text is for.
//
// The mapping gives the text field one bleve field per part, and zap merges
// their term maps, the body's into the summary's, on the one core that
// builds the segment: 9 % of the ingest's CPU (BENCHMARKS.md "Ingest").
// Here each field is one bleve field with the terms of all parts, which is
// what the index holds either way.
func addText(d *bdoc.Document, model *restore.Model, name string, opts bleveindex.FieldIndexingOptions, stored []byte, parts ...string) {
	a := &textAnalysis{parts: parts, withSeq: !hasPairs(name), model: model}
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
	// (restore.Spell of each part, made here at no extra cost), with the
	// forms' ids in model when there is one.
	spelled restore.Spelled
	model   *restore.Model
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
	nums  []uint32 // each term's number (termNumber), for zapbuild; nil for pairs
	bytes int      // of the terms, for Size
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

// TermNumbers numbers the field's terms, for zapbuild.
func (f *analyzedField) TermNumbers() []uint32 { return f.text.counts[f.kind].nums }

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
// part, adding up the counts; no token is made. What a syllable as written
// gives (its form, folded form, sequence code) comes from a cache kept
// across texts: a million articles write a few tens of thousands of
// syllables, and working each out again in every text was a fifth of an
// ingest's CPU.
func (s *textAnalysis) run() {
	n := 0
	for _, p := range s.parts {
		n += len(p)
	}
	distinct := distinctTerms(n)
	for k := range s.counts {
		switch {
		case k != termsPairs:
			s.counts[k] = termCounts{terms: make([]string, 0, distinct), freqs: make([]uint32, 0, distinct),
				nums: make([]uint32, 0, distinct)}
		case !s.withSeq:
			s.counts[k] = termCounts{terms: make([]string, 0, distinct), freqs: make([]uint32, 0, distinct)}
		}
	}
	s.spelled.Seq = make([]int32, 0, n/5+len(s.parts))       // a syllable and its space: ~5 bytes
	s.spelled.Forms = make([]string, 0, distinct+distinct/2) // syllables as written: "Hà" and "hà" are two
	if s.model != nil {
		s.spelled.IDs = make([]uint32, 0, cap(s.spelled.Forms))
	}
	if s.withSeq {
		s.seq = append(make([]byte, 0, n*3/4), seqHeader) // a 3-byte code per syllable of ~4 bytes
	}
	var keep, pair []byte // the pairs' bytes (titles'), never written again: terms point into keep
	var prev string
	c := takeSyllableCache()
	text := c.startText()
	if s.model != nil {
		s.spelled.Numbering = c.useModel(s.model)
	}
	for pi, p := range s.parts {
		if pi > 0 {
			s.spelled.Seq = append(s.spelled.Seq, restore.Break)
			if s.withSeq {
				s.seq = appendSeqBoundary(s.seq)
			}
		}
		c.syls = vntext.AppendSyllables(c.syls[:0], p)
		for i, syl := range c.syls {
			if i > 0 && !restore.Joins(p[c.syls[i-1].End:syl.Start]) {
				s.spelled.Seq = append(s.spelled.Seq, restore.Break)
			}
			e := &c.entries[c.lookup(syl.Text)]
			if e.text != text { // first met in this text
				e.text, e.at = text, int32(len(s.spelled.Forms))
				s.spelled.Forms = append(s.spelled.Forms, e.form)
				if s.model != nil {
					s.spelled.IDs = append(s.spelled.IDs, c.modelID(e, s.model, &s.spelled))
				}
			}
			s.spelled.Seq = append(s.spelled.Seq, e.at)
			folded := &c.terms[e.folded]
			s.counts[termsFolded].add(folded, text)
			if e.exact >= 0 {
				s.counts[termsExact].add(&c.terms[e.exact], text)
				s.length[termsExact]++
			}
			switch {
			case s.withSeq:
				s.seq = append(s.seq, e.code[:]...)
			case i > 0:
				pair = append(append(append(pair[:0], prev...), PairSeparator...), folded.term...)
				s.countPair(c, &keep, pair)
			}
			prev = folded.term
		}
		s.length[termsFolded] += len(c.syls)
		if len(c.syls) > 1 && !s.withSeq {
			s.length[termsPairs] += len(c.syls) - 1
		}
	}
	c.endText()
	putSyllableCache(c)
}

// distinctTerms guesses how many distinct terms of one kind a text of n
// bytes has, to allocate its terms and their counts at once and no more: a
// syllable takes ~6 bytes with its space, and the longer a text, the more
// of its syllables are ones it had before. On the synthetic archive: 12 in
// a 74-byte title, 141 in 1.5 KB, 270 in a 4 KB body, 494 in 10 KB (the
// guess: 15, 138, 272, 551). Allocating 256 counts a text cost a title
// twenty times what it used and was a fifth of an ingest's allocations.
func distinctTerms(n int) int { return int(0.7*math.Pow(float64(n), 0.72)) + 4 }

// add counts one occurrence of a term in the text numbered text.
func (c *termCounts) add(t *cachedTerm, text uint64) {
	if t.text == text {
		c.freqs[t.at]++
		return
	}
	t.text, t.at = text, int32(len(c.terms))
	c.terms = append(c.terms, t.term)
	c.freqs = append(c.freqs, 1)
	c.nums = append(c.nums, t.num)
	c.bytes += len(t.term)
}

// countPair counts one occurrence of a pair term; pair is the caller's to
// reuse.
func (s *textAnalysis) countPair(c *syllableCache, keep *[]byte, pair []byte) {
	counts := &s.counts[termsPairs]
	if i, ok := c.pairs[string(pair)]; ok {
		counts.freqs[i]++
		return
	}
	// A buffer that grows leaves the bytes of earlier terms where they are.
	at := len(*keep)
	*keep = append(*keep, pair...)
	kept := unsafe.String(unsafe.SliceData((*keep)[at:]), len(pair))
	i := int32(len(counts.terms))
	counts.terms = append(counts.terms, kept)
	counts.freqs = append(counts.freqs, 1)
	counts.bytes += len(kept)
	c.pairs[kept] = i
}

// cachedSyllable is what the analysis worked out for a syllable as written:
// its form (restore.Form, the exact term when it has marks), its terms (by
// index in the cache's terms) and its sequence code, and, for the text that
// last met it, where its form is in the text's restore.Spelled.Forms.
type cachedSyllable struct {
	form          string
	folded, exact int32 // exact is -1 for a syllable written without marks, which the exact field leaves out (markedFilter)
	code          [seqCodeLen]byte
	text          uint64 // the text that last met it
	at            int32
	// modelID is the id of its form in the diacritics model, when modelGen
	// is the cache's (syllableCache.useModel).
	modelID  uint32
	modelGen uint32
}

// cachedTerm is a folded or an exact term, and for the text that last met
// it, its index in that text's counts.
type cachedTerm struct {
	term string
	num  uint32 // termNumber(term)
	text uint64
	at   int32
}

// syllableCache keeps what the analysis worked out for each syllable across
// the texts one goroutine analyzes, and the scratch space of a text. It
// holds values, not pointers, and its strings point into a few large
// arenas: a cache of tens of thousands of objects cost every garbage
// collection of an ingest its marking (25 s of CPU at a million articles).
type syllableCache struct {
	index   map[string]int32 // syllables as written, by index in entries
	entries []cachedSyllable
	byTerm  [2]map[string]int32 // folded and exact terms, by index in terms
	terms   []cachedTerm
	arena   []byte           // where the strings above are kept
	texts   uint64           // texts started
	syls    []vntext.Token   // a part's syllables
	pairs   map[string]int32 // the text's pair terms (titles'), by index in its counts
	front   front.Table
	folded  []byte
	// The entries' ids in the diacritics model of this numbering
	// (restore.Model.Numbering) are those whose modelGen is modelGen.
	numbering uint64
	modelGen  uint32
}

// maxCachedSyllables bounds a cache (~100 bytes a syllable): numbers, names
// and stray strings would grow it without end. Real and synthetic
// archives write a few tens of thousands of distinct syllables.
const maxCachedSyllables = 1 << 16

// syllableCaches are the caches not in use, the last put back on top: a
// sync.Pool would drop them at every other garbage collection, and a cache
// pays only once full; taking the one used last, not the one used longest
// ago, keeps the caches in use as few as the goroutines analyzing at once,
// and theirs in the processor's caches.
var syllableCaches struct {
	sync.Mutex
	free []*syllableCache
}

const maxFreeCaches = 8

func takeSyllableCache() *syllableCache {
	p := &syllableCaches
	p.Lock()
	defer p.Unlock()
	if n := len(p.free); n > 0 {
		c := p.free[n-1]
		p.free = p.free[:n-1]
		return c
	}
	return &syllableCache{}
}

func putSyllableCache(c *syllableCache) {
	p := &syllableCaches
	p.Lock()
	defer p.Unlock()
	if len(p.free) < maxFreeCaches {
		p.free = append(p.free, c)
	}
}

// startText numbers a new text, emptying the cache when it is full.
func (c *syllableCache) startText() uint64 {
	if c.index == nil || len(c.entries) >= maxCachedSyllables {
		c.front.Clear()
		c.index = make(map[string]int32, 1024)
		c.byTerm = [2]map[string]int32{make(map[string]int32, 1024), make(map[string]int32, 1024)}
		c.entries, c.terms, c.arena = nil, nil, nil
	}
	if c.pairs == nil {
		c.pairs = make(map[string]int32, 64)
	}
	c.texts++
	return c.texts
}

// useModel has the cache note its syllables' ids in model and returns the
// model's numbering. Ids noted for another model, or for this one before
// it read its ids anew, are forgotten at once, by a new generation.
func (c *syllableCache) useModel(model *restore.Model) uint64 {
	if n := model.Numbering(); n != c.numbering {
		c.numbering = n
		c.modelGen++
	}
	return c.numbering
}

// modelID returns the id in model of entry e's form, asking the model the
// first time. The model's numbering may change meanwhile: t's ids are then
// not the model's, and t says so.
func (c *syllableCache) modelID(e *cachedSyllable, model *restore.Model, t *restore.Spelled) uint32 {
	if e.modelGen != c.modelGen {
		id, numbering := model.Intern(e.form)
		if numbering != c.numbering {
			t.Numbering = 0
			return id
		}
		e.modelID, e.modelGen = id, c.modelGen
	}
	return e.modelID
}

// endText forgets what points into the text: its syllables and pairs.
func (c *syllableCache) endText() {
	clear(c.syls)
	c.syls = c.syls[:0]
	clear(c.pairs)
}

// lookup returns the index in entries of a syllable as written: a
// syllable is looked up for every one a text has, 700 million times at a
// million articles, 87 s of CPU in index alone, a map the processor's
// caches do not hold; the front holds the syllables used most.
func (c *syllableCache) lookup(text string) int32 {
	if at, ok := c.front.Get(text); ok {
		return at
	}
	at := c.syllable(text)
	c.front.Put(text, at)
	return at
}

// keep copies b into the arena.
func (c *syllableCache) keep(b []byte) string {
	if len(c.arena)+len(b) > cap(c.arena) {
		c.arena = make([]byte, 0, max(arenaSize, len(b))) // the full one stays, held by its strings
	}
	at := len(c.arena)
	c.arena = append(c.arena, b...)
	return unsafe.String(unsafe.SliceData(c.arena[at:]), len(b))
}

const arenaSize = 64 << 10

// syllable returns the index in entries of a syllable as written, working
// out what it gives when new.
func (c *syllableCache) syllable(text string) int32 {
	if i, ok := c.index[text]; ok {
		return i
	}
	form := restore.Form(text)
	c.folded = vntext.AppendFold(c.folded[:0], form)
	e := cachedSyllable{code: syllableCode(c.folded), exact: -1}
	e.folded = c.term(termsFolded, c.folded)
	e.form = c.terms[e.folded].term
	if form != e.form { // markedFilter
		e.exact = c.term(termsExact, unsafe.Slice(unsafe.StringData(form), len(form)))
		e.form = c.terms[e.exact].term
	}
	i := int32(len(c.entries))
	c.entries = append(c.entries, e)
	c.index[c.keep(unsafe.Slice(unsafe.StringData(text), len(text)))] = i // never pin the article the syllable was cut from
	return i
}

// term returns the index in terms of a term of kind, adding it when new;
// b is the caller's.
func (c *syllableCache) term(kind int, b []byte) int32 {
	if i, ok := c.byTerm[kind][string(b)]; ok {
		return i
	}
	t := c.keep(b)
	i := int32(len(c.terms))
	c.terms = append(c.terms, cachedTerm{term: t, num: termNumber(t)})
	c.byTerm[kind][t] = i
	return i
}

// termNumbers number the folded and exact terms the analysis makes, the
// same number for the same term in every text, so that zapbuild finds a
// term of a batch by its number (zapbuild.TermNumberer). A term is
// numbered when a syllable cache first meets it, rarely after the first
// batches.
var termNumbers struct {
	sync.Mutex
	byTerm map[string]uint32
}

// maxTermNumbers bounds the numbers (~60 bytes each): numbers and names
// would grow them without end in a long-running server. Terms met after
// it have none, and zapbuild looks them up by their bytes.
const maxTermNumbers = 1 << 21

func termNumber(term string) uint32 {
	n := &termNumbers
	n.Lock()
	defer n.Unlock()
	if num, ok := n.byTerm[term]; ok {
		return num
	}
	if len(n.byTerm) >= maxTermNumbers {
		return zapbuild.NoTerm
	}
	if n.byTerm == nil {
		n.byTerm = map[string]uint32{}
	}
	num := uint32(len(n.byTerm))
	n.byTerm[strings.Clone(term)] = num // not the cache's arena
	return num
}
