package index

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	uq "kho/internal/query"
	"kho/internal/vntext"
)

// snippetBytes is about how much text a snippet shows (~40 words of Vietnamese).
const snippetBytes = 240

// span is a matched byte range of a stored field.
type span struct{ start, end int }

// highlighter finds what to mark in a result: every syllable of the query's
// words, and the syllables of its phrases where they stand together, in any
// diacritic form. It re-analyzes the few stored texts shown rather than ask
// bleve for term locations, which it would record for every match and which
// cost more than the search itself on frequent folded syllables.
type highlighter struct {
	words   map[string]bool // folded syllables of one-syllable words
	phrases [][]string      // folded syllables of phrases and multi-syllable words
}

// newHighlighter collects the words and phrases of a query; excluded ones
// are not marked.
func newHighlighter(n uq.Node) highlighter {
	hl := highlighter{words: map[string]bool{}}
	uq.Inspect(n, func(n uq.Node) bool {
		switch n := n.(type) {
		case uq.Word:
			hl.add(analyzeWords(n.Text))
		case uq.Phrase:
			hl.add(phraseSyllables(n))
		case uq.Not:
			return false
		}
		return true
	})
	return hl
}

func (hl *highlighter) add(syls []syllable) {
	switch len(syls) {
	case 0:
	case 1:
		hl.words[syls[0].folded] = true
	default:
		p := make([]string, len(syls))
		for i, s := range syls {
			p[i] = s.folded
		}
		hl.phrases = append(hl.phrases, p)
	}
}

// highlightBytes bounds how much of a text is searched for matches: a
// snippet from further down a very long article is not worth reading it all.
const highlightBytes = 64 << 10

// spans are the byte ranges of text to mark, in order. Stored text is
// already repaired, so folding each syllable gives the folded field's terms.
func (hl highlighter) spans(text string) []span {
	if text == "" || (len(hl.words) == 0 && len(hl.phrases) == 0) {
		return nil
	}
	cut := len(text) > highlightBytes
	if cut {
		n := highlightBytes
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n]
	}
	toks := vntext.Syllables(text)
	if cut && len(toks) > 0 {
		toks = toks[:len(toks)-1] // it may be part of a word
	}
	folded := make([]string, len(toks))
	for i, t := range toks {
		folded[i] = vntext.Fold(t.Text)
	}
	var out []span
	for i := 0; i < len(toks); i++ {
		if hl.words[folded[i]] {
			out = append(out, span{toks[i].Start, toks[i].End})
			continue
		}
		for _, p := range hl.phrases {
			if n := len(p); i+n <= len(toks) && slices.Equal(folded[i:i+n], p) {
				for _, t := range toks[i : i+n] {
					out = append(out, span{t.Start, t.End})
				}
				i += n - 1
				break
			}
		}
	}
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
