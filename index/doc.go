// Package index is everything that knows bleve: the Vietnamese analyzers and
// filters (registered by const name), the mapping and its field names, the
// schema version, opening and creating indexes, the batched Writer, Search
// with facets and highlighting, Related and Stats. Its subpackage zapbuild
// builds the segments scorch writes, in zap's format (segments.go).
package index
