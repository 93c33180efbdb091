// Package zapbuild builds the segments bleve's scorch index makes of each
// batch, in zap's format (version 17), from the documents kho writes:
// field by field, term by term, without zap's two map lookups and one
// roaring Add per posting (BENCHMARKS.md "Ingest"). Open and Merge are zap's
// own, so every segment on disk, built here or merged by zap, is read by
// zap; a batch this package does not handle (composite or nested documents,
// term vectors, vectors, geo shapes, synonyms) goes to zap's builder.
//
// The layout written is zap v17's, byte for byte (zapbuild_test.go compares
// the two builders' output): stored fields, then for each field its
// postings, term dictionary (a vellum FST) and doc values, then the fields
// index. The encoders for chunked numbers and doc values follow zap's
// (github.com/blevesearch/zapx, Apache License 2.0).
package zapbuild
