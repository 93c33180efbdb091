package vntext

// FIRST DRAFT: the API every other package builds against. The vntext owner
// replaces these bodies with the full rules of DESIGN.md; signatures stay.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean repairs text without changing its spelling: invalid UTF-8 becomes
// U+FFFD; control characters (but \n and \t), zero-width characters, U+FEFF
// and soft hyphens are dropped; NBSP becomes a space; a combining mark
// repeated after a letter that already carries it is dropped; Ð/ð become Đ/đ.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\u00A0':
			return ' '
		case r == '\u00D0':
			return 'Đ'
		case r == '\u00F0':
			return 'đ'
		case r == '\u00AD' || r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060':
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// Repair is Clean followed by NFC: what ingest applies to stored text. The
// spelling (tone placement included) stays as published.
func Repair(s string) string { return norm.NFC.String(Clean(s)) }

// Normalize is Repair plus canonical tone placement (hoà → hòa, thuỷ → thủy),
// keeping case. It is how terms are compared, never how text is stored.
func Normalize(s string) string { return Repair(s) }

// Fold lower-cases s, removes every tone and vowel mark and maps đ/Đ to d.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// HasDiacritics reports whether s has any Vietnamese tone or vowel mark or đ.
func HasDiacritics(s string) bool {
	return Fold(s) != strings.ToLower(s)
}

// Token is one syllable: its text and its byte offsets in the string it came
// from (Text == s[Start:End]).
type Token struct {
	Text       string
	Start, End int
}

// Syllables splits s into syllables: runs of letters, digits and combining
// marks. Everything else (spaces, punctuation, "_") separates them.
func Syllables(s string) []Token {
	var toks []Token
	start := -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if inWord && start < 0 {
			start = i
		} else if !inWord && start >= 0 {
			toks = append(toks, Token{s[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, Token{s[start:], start, len(s)})
	}
	_ = utf8.RuneError
	return toks
}
