package index

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// snippetBytes is about how much text a snippet shows (~40 words of Vietnamese).
const snippetBytes = 240

// span is a matched byte range of a stored field.
type span struct{ start, end int }

// spansOf collects the matched ranges of one field value (arrayPos selects
// one value of a multi-valued field; -1 accepts any), sorted and merged.
func spansOf(locs search.FieldTermLocationMap, field string, arrayPos int, textLen int) []span {
	var out []span
	for _, ls := range locs[field] {
		for _, l := range ls {
			if arrayPos >= 0 && !(len(l.ArrayPositions) == 1 && int(l.ArrayPositions[0]) == arrayPos) {
				continue
			}
			if int(l.End) <= textLen && l.Start < l.End {
				out = append(out, span{int(l.Start), int(l.End)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// markAll escapes text and wraps every span in <mark>. Spans separated only
// by spaces merge, so "Dân vận khéo" is one mark, not three.
func markAll(text string, spans []span) string {
	var b strings.Builder
	cur := 0
	open := false
	for _, s := range spans {
		if s.start < cur {
			continue
		}
		gap := text[cur:s.start]
		if open && strings.TrimSpace(gap) == "" {
			b.WriteString(html.EscapeString(gap))
		} else {
			if open {
				b.WriteString("</mark>")
			}
			b.WriteString(html.EscapeString(gap))
			b.WriteString("<mark>")
		}
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		cur, open = s.end, true
	}
	if open {
		b.WriteString("</mark>")
	}
	b.WriteString(html.EscapeString(text[cur:]))
	return b.String()
}

// snippet picks the window of text with the most matches and marks them. With
// no matches it shows the beginning of the text.
func snippet(text string, spans []span) string {
	if len(text) <= snippetBytes {
		return markAll(text, spans)
	}
	start, end := bestWindow(text, spans)
	var inside []span
	for _, s := range spans {
		if s.start >= start && s.end <= end {
			inside = append(inside, span{s.start - start, s.end - start})
		}
	}
	out := markAll(text[start:end], inside)
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

// bestWindow returns byte bounds of a window of about snippetBytes holding as
// many matches as possible, widened to word boundaries.
func bestWindow(text string, spans []span) (int, int) {
	start := 0
	best := 0
	for i := range spans {
		n := 0
		for j := i; j < len(spans) && spans[j].end-spans[i].start <= snippetBytes; j++ {
			n++
		}
		if n > best {
			best, start = n, spans[i].start
		}
	}
	if best > 0 {
		start = max(0, start-snippetBytes/4) // a little context before the first match
	}
	start = wordStart(text, start)
	end := wordEnd(text, min(len(text), start+snippetBytes))
	return start, end
}

// wordStart moves i back to the start of the word it falls in.
func wordStart(text string, i int) int {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	return i
}

// wordEnd moves i forward to the end of the word it falls in.
func wordEnd(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}
