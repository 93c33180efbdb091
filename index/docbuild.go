package index

import (
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	bdoc "github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/internal/article"
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
	addText(d, FieldTitle, nil, a.Title, titleOptions)
	if a.Summary != "" {
		addPart(d, FieldSummary, nil, a.Summary)
	}
	if a.Body != "" {
		addPart(d, FieldBody, nil, a.Body)
	}
	for i, c := range a.Captions {
		addPart(d, FieldCaptions, arrayPos(i), c)
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
		if f, err := bdoc.NewDateTimeFieldWithIndexingOptions(FieldPublished, nil, a.Published, time.RFC3339, dateOptions); err == nil {
			d.AddField(f)
		}
		month = t.Format("2006-01")
		addKeyword(d, FieldYear, facetOptions, nil, t.Format("2006"))
		addKeyword(d, FieldMonth, facetOptions, nil, month)
	}
	addKeyword(d, FieldFacets, facetOptions, nil, facetTerm(month, a.Category, a.Source))
	return d
}

// arrayPos is the array position of value i of a multi-valued field: the
// mapping gives every value of a slice one, even a lone value.
func arrayPos(i int) []uint64 { return []uint64{uint64(i)} }

func addKeyword(d *bdoc.Document, name string, opts bleveindex.FieldIndexingOptions, pos []uint64, value string) {
	d.AddField(bdoc.NewTextFieldCustom(name, pos, []byte(value), opts, keywordAnalyzer))
}

// addText adds a text value as its folded, exact and pairs fields, which
// share one analysis; opts are the folded field's.
func addText(d *bdoc.Document, name string, pos []uint64, value string, opts bleveindex.FieldIndexingOptions) {
	s := &sharedAnalysis{text: value}
	d.AddField(bdoc.NewTextFieldCustom(name, pos, []byte(value), opts, foldedView{s}))
	d.AddField(bdoc.NewTextFieldCustom(name+ExactSuffix, pos, []byte(value), indexOptions, exactView{s}))
	d.AddField(bdoc.NewTextFieldCustom(name+PairsSuffix, pos, []byte(value), indexOptions, pairsView{s}))
}

// addPart stores a value of one of TextParts under its own name and indexes
// it as FieldText.
func addPart(d *bdoc.Document, name string, pos []uint64, value string) {
	addKeyword(d, name, storedOptions, pos, value)
	addText(d, FieldText, pos, value, indexOptions)
}

// sharedAnalysis analyzes one text value for all its fields, on first use:
// whichever field bleve analyzes first does the work.
type sharedAnalysis struct {
	once                 sync.Once
	text                 string
	folded, exact, pairs analysis.TokenStream
}

type foldedView struct{ *sharedAnalysis }
type exactView struct{ *sharedAnalysis }
type pairsView struct{ *sharedAnalysis }

func (v foldedView) Analyze([]byte) analysis.TokenStream { v.once.Do(v.run); return v.folded }
func (v exactView) Analyze([]byte) analysis.TokenStream  { v.once.Do(v.run); return v.exact }
func (v pairsView) Analyze([]byte) analysis.TokenStream  { v.once.Do(v.run); return v.pairs }

// run does what the syllable tokenizer and the normalize, fold and pair
// filters do (analysis.go), with the terms of all streams in one buffer and
// the tokens in one slab.
func (s *sharedAnalysis) run() {
	syls := vntext.Syllables(s.text)
	n := len(syls)
	toks := make([]analysis.Token, 3*n)
	s.exact = make(analysis.TokenStream, n)
	s.folded = make(analysis.TokenStream, n)
	if n > 1 {
		s.pairs = make(analysis.TokenStream, n-1)
	}
	buf := make([]byte, 0, 4*len(s.text)+len(PairSeparator)*n)
	for i, syl := range syls {
		typ := analysis.AlphaNumeric
		if isNumber(syl.Text) {
			typ = analysis.Numeric
		}
		at := len(buf)
		buf = appendLower(buf, vntext.Normalize(syl.Text))
		exactTerm := buf[at:len(buf):len(buf)]
		at = len(buf)
		buf = vntext.AppendFold(buf, string(exactTerm))
		foldedTerm := buf[at:len(buf):len(buf)]
		toks[2*i] = analysis.Token{Start: syl.Start, End: syl.End, Position: i + 1, Term: exactTerm, Type: typ}
		toks[2*i+1] = analysis.Token{Start: syl.Start, End: syl.End, Position: i + 1, Term: foldedTerm, Type: typ}
		s.exact[i], s.folded[i] = &toks[2*i], &toks[2*i+1]
		if i > 0 {
			prev := s.folded[i-1]
			at = len(buf)
			buf = append(append(append(buf, prev.Term...), PairSeparator...), foldedTerm...)
			toks[2*n+i-1] = analysis.Token{Start: prev.Start, End: syl.End, Position: i,
				Term: buf[at:len(buf):len(buf)], Type: analysis.Shingle}
			s.pairs[i-1] = &toks[2*n+i-1]
		}
	}
}

// appendLower appends strings.ToLower(s) to buf without a string of its own.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				buf = utf8.AppendRune(buf, unicode.ToLower(r))
			}
			return buf
		} else if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
			buf = append(buf, c)
		} else {
			buf = append(buf, c)
		}
	}
	return buf
}
