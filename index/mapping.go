package index

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// SchemaVersion changes whenever the mapping or the stored document shape
// changes so that an index built before would answer wrongly; such an index
// must be rebuilt. Changes that only leave out terms no search reads keep
// it: the date as one term (dateField), the exact fields' syllables without
// marks (markedFilter); an index built before keeps working.
const SchemaVersion = 6

// Field names, defined once. Each searched field (SearchFields) is indexed
// folded (without term vectors) under its own name and exact (diacritics
// kept; only the syllables with marks, see markedFilter) under name +
// ExactSuffix. Phrases and adjacency need more: the title is indexed as
// pairs of neighbouring folded syllables under FieldTitle + PairsSuffix,
// the text keeps its syllable sequence under FieldText + SeqSuffix
// (sequence.go; the writer builds it, the mapping does not know it). The
// title is one searched field; the summary, body and captions are stored
// apart but searched as one, text (see TextParts).
const (
	FieldTitle    = "title"
	FieldSummary  = "summary"
	FieldBody     = "body"
	FieldCaptions = "captions"
	FieldText     = "text" // index only: summary, body and captions

	ExactSuffix = "_exact"
	PairsSuffix = "_pairs"

	FieldURL           = "url"
	FieldReadingList   = "reading_list"
	FieldAuthor        = "author"
	FieldCategory      = "category"
	FieldTags          = "tags"
	FieldSource        = "source"
	FieldPublished     = "published"
	FieldPublishedFrom = "published_from"
	FieldYear          = "year"   // "2024", in the archive time zone
	FieldMonth         = "month"  // "2024-06", in the archive time zone
	FieldHash          = "hash"   // content hash: re-ingesting unchanged text is skipped
	FieldFacets        = "facets" // month, category and source in one term: see facetTerm
)

// SearchFields are the indexed text fields, in order of weight.
var SearchFields = []string{FieldTitle, FieldText}

// TextParts are the stored fields whose text is indexed as FieldText. One
// field instead of three halves the terms a search looks up in each article
// (bench-search CPU per search: see BENCHMARKS "Search"); each value is
// analyzed on its own, so no pair spans the end of one and the start of the
// next.
var TextParts = []string{FieldSummary, FieldBody, FieldCaptions}

// hasPairs reports whether searched field f is indexed as pairs too: the
// title is, the text keeps its syllable sequence instead.
func hasPairs(f string) bool { return f == FieldTitle }

// newMapping builds the one document mapping kho uses. Dynamic mapping is off:
// only the fields named here are indexed, so a stray field in a dump can't
// change the schema.
func newMapping() *mapping.IndexMappingImpl {
	doc := mapping.NewDocumentStaticMapping()
	title := foldedField(FieldTitle)
	title.Store = true
	doc.AddFieldMappingsAt(FieldTitle, title, exactField(FieldTitle+ExactSuffix), pairsField(FieldTitle+PairsSuffix))
	for _, f := range TextParts {
		doc.AddFieldMappingsAt(f, storedOnly(), foldedField(FieldText), exactField(FieldText+ExactSuffix))
	}
	for _, f := range []string{FieldURL, FieldReadingList, FieldPublishedFrom, FieldHash} {
		doc.AddFieldMappingsAt(f, storedOnly())
	}
	for _, f := range []string{FieldAuthor, FieldCategory, FieldSource, FieldTags} {
		doc.AddFieldMappingsAt(f, keywordField(true))
	}
	for _, f := range []string{FieldYear, FieldMonth, FieldFacets} {
		doc.AddFieldMappingsAt(f, keywordField(false))
	}
	// The writer indexes the date at full precision only (dateField).
	published := mapping.NewDateTimeFieldMapping()
	published.Store = true
	published.DocValues = true
	published.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldPublished, published)

	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = FoldedAnalyzer
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = "bm25"
	return m
}

func foldedField(name string) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Name = name
	f.Analyzer = FoldedAnalyzer
	f.Store = false
	f.IncludeTermVectors = false // phrases use the pairs and sequences; highlights come from the query
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func exactField(name string) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Name = name
	f.Analyzer = MarkedAnalyzer
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func pairsField(name string) *mapping.FieldMapping {
	f := exactField(name)
	f.Analyzer = PairsAnalyzer
	return f
}

func keywordField(store bool) *mapping.FieldMapping {
	f := mapping.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store = store
	f.DocValues = true
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	return f
}

func storedOnly() *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = keyword.Name
	f.Index = false
	f.Store = true
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}
