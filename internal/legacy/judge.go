package legacy

import (
	"fmt"
	"slices"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// isTokenRune reports whether r belongs to a word: a letter or mark, or any
// rune a legacy byte above ASCII reads as (VISCII's C0 letters included) —
// in TCVN3 "§" is Đ, in VISCII "“" is Ộ. NBSP stays a space.
func isTokenRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || isVISCIIControl(r)
	case r <= 0xFF:
		return r != 0xA0
	case cp1252Byte(r) != 0:
		return true
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// token is a word of the cells: [start, end), and whether it holds a rune a
// legacy byte above ASCII stands for (high) or a rune no legacy byte can
// produce (unicode): a conversion changes only tokens that are high and not
// unicode.
type token struct {
	start, end    int
	high, unicode bool
}

func (t token) changes() bool { return t.high && !t.unicode }

func tokenize(cells []rune) []token {
	var toks []token
	cur := token{start: -1}
	for i, r := range cells {
		if !isTokenRune(r) {
			if cur.start >= 0 {
				cur.end = i
				toks = append(toks, cur)
				cur = token{start: -1}
			}
			continue
		}
		if cur.start < 0 {
			cur.start = i
		}
		if _, ok := byteOf(r); !ok {
			cur.unicode = true
		} else if r >= 0x80 || isVISCIIControl(r) {
			cur.high = true
		}
	}
	if cur.start >= 0 {
		cur.end = len(cells)
		toks = append(toks, cur)
	}
	return toks
}

// trimToLetters drops what is not a letter from both ends of a word.
func trimToLetters(w []rune) []rune {
	for len(w) > 0 && !unicode.IsLetter(w[0]) {
		w = w[1:]
	}
	for len(w) > 0 && !unicode.IsLetter(w[len(w)-1]) {
		w = w[:len(w)-1]
	}
	return w
}

// tally counts, over the words an encoding would change, how many are
// Vietnamese syllables before and after the conversion.
type tally struct {
	enc                  Encoding
	words, before, after int
	gained, lost         int
	common               int // words that are common syllables after the conversion
}

func (t tally) net() int { return t.gained - t.lost }

// rewrites counts Vietnamese words that the table turns into other
// Vietnamese words: no evidence either way.
func (t tally) rewrites() int { return t.after - t.gained }

// score tallies, for each legacy encoding, the words it would change. Words
// with no letter as they stand (a lone "–" or "”", which VISCII would read as
// Ờ and Ợ) and words a table leaves as they are do not count.
func score(cells []rune, toks []token) (tallies [3]tally) {
	var buf []rune
	for i, e := range Legacy {
		tallies[i].enc = e
	}
	for _, tok := range toks {
		if !tok.changes() {
			continue
		}
		w := cells[tok.start:tok.end]
		orig := trimToLetters(w)
		if len(orig) == 0 {
			continue
		}
		origKey, was := syllable(orig)
		wasCommon := was && isCommon(origKey)
		for i, e := range Legacy {
			t := &tallies[i]
			var f fit
			buf, f = decodeCells(buf[:0], w, e)
			if f == fitted && slices.Equal(buf, w) {
				if wasCommon {
					t.common++ // the table keeps a common word as it is
				}
				continue // otherwise a word the table leaves alone says nothing
			}
			conv := trimToLetters(composeMarks(buf))
			if e == TCVN3 && shapeOf(conv) == capsWithLowerTones {
				conv = slices.Clone(conv)
				upperTones(conv) // "CộNG": TCVN3 has no capital ộ
			}
			key, is := syllable(conv)
			is = is && f == fitted
			t.words++
			if was {
				t.before++
			}
			if is {
				t.after++
				if isCommon(key) {
					t.common++
				}
			}
			switch {
			case is && !was:
				t.gained++
			case was && !is:
				t.lost++
			}
		}
	}
	return tallies
}

// composeMarks puts a word that holds separate tone marks (TCVN3 0xB0–0xB4)
// in NFC; other words are returned as they are.
func composeMarks(w []rune) []rune {
	for _, r := range w {
		if r >= 0x300 && r < 0x370 {
			return []rune(norm.NFC.String(string(w)))
		}
	}
	return w
}

// judge decides between Unicode and the legacy encodings for cells that the
// quick scan did not settle, and converts when one wins clearly.
func judge(cells []rune) Result {
	toks := tokenize(cells)
	tallies := score(cells, toks)
	// Most words made Vietnamese first; between equals, the table that
	// gives at least two more common words ("Cà Mau", not "Cộ Mau"). Less
	// than that is ambiguous and kept, not guessed ("Bá Khải" or "Bị
	// Khời"); the last two keys only make the reported candidate stable:
	// fewer Vietnamese words rewritten into other ones, more words
	// Vietnamese.
	slices.SortStableFunc(tallies[:], func(a, b tally) int {
		if a.net() != b.net() {
			return b.net() - a.net()
		}
		if a.common != b.common {
			return b.common - a.common
		}
		if a.rewrites() != b.rewrites() {
			return a.rewrites() - b.rewrites()
		}
		return b.after - a.after
	})
	best, second := tallies[0], tallies[1]
	if best.words == 0 {
		return Result{Encoding: Unicode, Confidence: 1}
	}
	asIs := float64(best.before) / float64(best.words)
	conf := float64(best.after) / float64(best.words)
	// Words already in Unicode (bỏ, tiền) weigh against a conversion: a
	// legacy text has none, or a few in a credit line pasted into it.
	unicodeWords := 0
	for _, tok := range toks {
		if tok.unicode {
			unicodeWords++
		}
	}
	if best.net() > 0 && best.gained > unicodeWords && conf >= minConfidence {
		if second.net() == best.net() && best.common-second.common < 2 {
			r := Result{Encoding: best.enc, Confidence: asIs, Words: best.words,
				Note: fmt.Sprintf("looks legacy but %v and %v read it equally well (%d of %d words Vietnamese)",
					best.enc, second.enc, best.after, best.words)}
			for _, t := range tallies {
				if t.net() == best.net() && best.common-t.common < 2 {
					r.tied = append(r.tied, t.enc)
				}
			}
			return r
		}
		return convertWith(cells, toks, best.enc, &best)
	}
	r := Result{Encoding: Unicode, Confidence: asIs, Words: best.words}
	if odd := best.words - best.before; asIs < suspicious && odd >= 3 && odd > unicodeWords {
		r.Encoding = best.enc
		r.Note = fmt.Sprintf("looks legacy: %d of %d words with legacy-range characters are not Vietnamese; best table %v makes %d of them Vietnamese",
			best.words-best.before, best.words, best.enc, best.after)
	}
	return r
}
