package index

import (
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// hit turns a bleve match into a Hit without highlights.
func (ix *Index) hit(dm *search.DocumentMatch) Hit {
	return ix.markedHit(dm, highlighter{})
}

// markedHit turns a bleve match into a Hit with the query's matches marked
// in the title and the snippet.
func (ix *Index) markedHit(dm *search.DocumentMatch, hl highlighter) Hit {
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
	h.TitleHTML = markAll(h.Title, hl.spans(h.Title))
	h.Snippet = bestSnippet(hl, str(FieldSummary), str(FieldBody))
	return h
}

// bestSnippet shows the body where the query matched, else the summary, else
// the beginning of the summary or body.
func bestSnippet(hl highlighter, summary, body string) string {
	if spans := hl.spans(body); len(spans) > 0 {
		return snippet(body, spans)
	}
	if spans := hl.spans(summary); len(spans) > 0 {
		return snippet(summary, spans)
	}
	if summary != "" {
		return snippet(summary, nil)
	}
	return snippet(body, nil)
}
