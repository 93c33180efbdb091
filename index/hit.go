package index

import (
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// hit turns a bleve match into a Hit with highlighted title and snippet.
func (ix *Index) hit(dm *search.DocumentMatch) Hit {
	str := func(f string) string { s, _ := dm.Fields[f].(string); return s }
	h := Hit{
		ID: dm.ID, Title: str(FieldTitle), URL: str(FieldURL), Source: str(FieldSource),
		Category: str(FieldCategory), Author: str(FieldAuthor), Score: dm.Score,
	}
	if p := str(FieldPublished); p != "" {
		if t, err := time.Parse(time.RFC3339Nano, p); err == nil {
			h.Published = t.In(ix.loc)
		}
	}
	h.TitleHTML = markAll(h.Title, spansOf(dm.Locations, FieldTitle, -1, len(h.Title)))
	h.Snippet = bestSnippet(dm, str(FieldSummary), str(FieldBody))
	return h
}

// bestSnippet shows the body where the query matched, else the summary, else
// the beginning of the summary or body.
func bestSnippet(dm *search.DocumentMatch, summary, body string) string {
	if spans := spansOf(dm.Locations, FieldBody, -1, len(body)); len(spans) > 0 {
		return snippet(body, spans)
	}
	if spans := spansOf(dm.Locations, FieldSummary, -1, len(summary)); len(spans) > 0 {
		return snippet(summary, spans)
	}
	if summary != "" {
		return snippet(summary, nil)
	}
	return snippet(body, nil)
}
