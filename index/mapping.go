package index

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// SchemaVersion changes whenever the mapping or the stored document shape
// changes; an index built with another version must be rebuilt.
const SchemaVersion = 4

// Field names, defined once. Each text field is indexed three times: folded
// (stored, without term vectors) under its own name, exact
// (diacritics kept, index only) under name + ExactSuffix, and as pairs of
// neighbouring folded syllables (index only) under name + PairsSuffix.
const (
	FieldTitle    = "title"
	FieldSummary  = "summary"
	FieldBody     = "body"
	FieldCaptions = "captions"

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

// TextFields are searched, in order of weight.
var TextFields = []string{FieldTitle, FieldSummary, FieldBody, FieldCaptions}

// newMapping builds the one document mapping kho uses. Dynamic mapping is off:
// only the fields named here are indexed, so a stray field in a dump can't
// change the schema.
func newMapping() *mapping.IndexMappingImpl {
	doc := mapping.NewDocumentStaticMapping()
	for _, f := range TextFields {
		doc.AddFieldMappingsAt(f, foldedField(f), exactField(f+ExactSuffix), pairsField(f+PairsSuffix))
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
	f.Store = true
	f.IncludeTermVectors = false // phrases use the pairs fields; highlights come from the query
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func exactField(name string) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Name = name
	f.Analyzer = ExactAnalyzer
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
