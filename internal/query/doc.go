// Package query parses the user's query language (words, "phrases",
// -exclusions, OR) into a small tree. It knows nothing of bleve or field names.
package query
