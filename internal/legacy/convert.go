package legacy

import (
	"fmt"
	"strings"
)

// convertWith converts cells with e: every word a legacy byte can stand for
// is decoded; words holding runes no legacy byte produces (Unicode already)
// and the spaces and punctuation between words are copied.
//
// t is the tally detection made for e; nil (a forced encoding) counts it here.
func convertWith(cells []rune, toks []token, e Encoding, t *tally) Result {
	forced := t == nil
	if forced {
		toks = tokenize(cells)
		tallies := score(cells, toks)
		t = &tallies[legacyIndex(e)]
	}
	keep := unicodeNeighbours(cells, toks)
	out := make([]rune, 0, len(cells))
	words := make([]span, 0, len(toks))
	prev, unmapped := 0, 0
	for i, tok := range toks {
		// Between words is ASCII, NBSP or Unicode: decoding changes only
		// VISCII's 0xA0, which is Õ ("VÕ"), not a space.
		out, _ = decodeCells(out, cells[prev:tok.start], e)
		start := len(out)
		if tok.changes() && !keep[i] {
			var f fit
			out, f = decodeCells(out, cells[tok.start:tok.end], e)
			if f == unfitted {
				unmapped++
			}
			w := composeMarks(out[start:])
			out = append(out[:start], w...)
		} else {
			out = append(out, cells[tok.start:tok.end]...)
		}
		words = append(words, span{start, len(out)})
		prev = tok.end
	}
	out, _ = decodeCells(out, cells[prev:], e)
	if e == TCVN3 {
		restoreCase(out, words)
	}

	r := Result{Text: string(out), Encoding: e, Converted: true, Confidence: 1, Words: t.words}
	if t.words > 0 {
		r.Confidence = float64(t.after) / float64(t.words)
	}
	var notes []string
	if forced {
		notes = append(notes, "encoding forced")
	}
	if unmapped > 0 {
		notes = append(notes, fmt.Sprintf("%d words hold bytes %v does not define, kept as they were", unmapped, e))
	}
	r.Note = strings.Join(notes, "; ")
	return r
}

// unicodeNeighbours marks the words of a Unicode passage inside a legacy
// text ("… (Nguồn: Thông tấn xã Việt Nam)" after a TCVN3 body): words that
// hold Unicode-only letters, and the words next to them, across plain
// spaces, that are Vietnamese as they stand ("Thông", "xã"). A legacy word
// that happens to read as Vietnamese stops nothing: the run ends at the
// first word that is not.
func unicodeNeighbours(cells []rune, toks []token) []bool {
	keep := make([]bool, len(toks))
	any := false
	for i, t := range toks {
		keep[i] = t.unicode
		any = any || t.unicode
	}
	if !any {
		return keep
	}
	joined := func(a, b token) bool { // only spaces between two words
		for _, r := range cells[a.end:b.start] {
			if r != ' ' {
				return false
			}
		}
		return true
	}
	spread := func(i, from int) {
		if !keep[i] && keep[from] && joined(toks[min(i, from)], toks[max(i, from)]) &&
			isSyllable(trimToLetters(cells[toks[i].start:toks[i].end])) {
			keep[i] = true
		}
	}
	for i := 1; i < len(toks); i++ {
		spread(i, i-1)
	}
	for i := len(toks) - 2; i >= 0; i-- {
		spread(i, i+1)
	}
	return keep
}

func legacyIndex(e Encoding) int {
	for i, l := range Legacy {
		if l == e {
			return i
		}
	}
	panic(fmt.Sprintf("legacy: %v is not a legacy encoding", e))
}

// span is a converted word in the output runes.
type span struct{ start, end int }
