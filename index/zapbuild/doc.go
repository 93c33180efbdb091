// Package zapbuild builds the segments bleve's scorch index makes of each
// batch, in zap's format (version 17), from the documents kho writes:
// field by field, term by term, without zap's two map lookups and one
// roaring Add per posting (BENCHMARKS.md "Ingest"). It merges segment files
// too when they list the same fields and drop no document, as a bulk load's
// do, moving each posting's bytes instead of decoding them (merge.go). Open
// is zap's own, so every segment is read by zap, except that a segment on
// disk answers scorch's key lookups from a filter of its keys first
// (ids.go); a batch this package does
// not handle (composite or nested documents, term vectors, vectors, geo
// shapes, synonyms) goes to zap's builder, any other merge to zap's. A
// field may list its terms (TermLister) and number them (TermNumberer)
// instead of handing over bleve's map of them. A merge runs in three
// stages, each on its own goroutine: walking the dictionaries, reading and
// renumbering postings, writing them.
//
// The layout written is zap v17's, byte for byte (Verify and VerifyMerge
// compare the files of zap's builder and merge with this package's):
// stored fields, then for each field its postings, term dictionary (a
// vellum FST) and doc values, then the fields index. The encoders for
// chunked numbers and doc values follow zap's (github.com/blevesearch/zapx,
// Apache License 2.0).
package zapbuild
