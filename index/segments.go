package index

import (
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/index/zapbuild"
	"kho/internal/article"
)

// kho's segments are built by zapbuild, in zap's format: zap's own builder
// looked every posting up in a map twice and added it to a roaring bitmap
// one by one, the largest cost of an ingest (BENCHMARKS.md "Ingest").
// Segments on disk, and their merges, are zap's as before. Every segment
// lists all of kho's fields, so zap merges any two by copying.
func init() {
	scorch.RegisterSegmentPlugin(&zapbuild.Plugin{Fields: documentFields()}, true)
}

// documentFields are the fields of kho's documents with their options:
// those of a document that has every field.
func documentFields() map[string]bleveindex.FieldIndexingOptions {
	a := &article.Article{ID: "x:1", Title: "t", Summary: "s", Body: "b", Captions: []string{"c"},
		ReadingList: []string{"r"}, Tags: []string{"t"}, Author: "a", Category: "c", Source: "s",
		URL: "u", Published: time.Unix(0, 0), PublishedFrom: article.FromMetadata}
	fields := map[string]bleveindex.FieldIndexingOptions{}
	bleveDocument(a, time.UTC, "h", nil).VisitFields(func(f bleveindex.Field) { fields[f.Name()] |= f.Options() })
	return fields
}
