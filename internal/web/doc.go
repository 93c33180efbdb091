// Package web serves the reader's pages (html/template, embedded assets) on
// top of the same engine the JSON API uses.
package web
