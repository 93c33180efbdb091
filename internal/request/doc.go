// Package request turns the URL parameters of a search (q, from, to, source,
// category, author, tag, sort, page, size) into an index.SearchRequest. Each
// bad value is an error that names its parameter. The JSON API and the web
// pages share it so they accept exactly the same searches.
package request
