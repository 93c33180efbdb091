package index

import (
	"github.com/blevesearch/bleve/v2/index/scorch"

	"kho/index/zapbuild"
)

// kho's segments are built by zapbuild, in zap's format: zap's own builder
// looked every posting up in a map twice and added it to a roaring bitmap
// one by one, the largest cost of an ingest (BENCHMARKS.md "Ingest").
// Segments on disk, and their merges, are zap's as before.
func init() {
	scorch.RegisterSegmentPlugin(&zapbuild.Plugin{}, true)
}
