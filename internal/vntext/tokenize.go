package vntext

import (
	"unicode"
	"unicode/utf8"
)

// Token is one syllable: its text and its byte offsets in the string it came
// from (Text == s[Start:End]).
type Token struct {
	Text       string
	Start, End int
}

// Syllables splits s into syllables: runs of letters and digits with the
// combining marks that follow them, so a decomposed (NFD) syllable stays one
// token. Everything else separates syllables, "_", apostrophes and hyphens
// included. Invisible characters that Clean drops (zero-width space, soft
// hyphen, controls) neither separate nor end a syllable: C\u200bảnh is one
// token. Offsets are byte offsets into s, on rune boundaries.
func Syllables(s string) []Token {
	return AppendSyllables(make([]Token, 0, len(s)/5+1), s)
}

// AppendSyllables appends the syllables of s to toks, for a caller that
// reuses a slice of tokens.
func AppendSyllables(toks []Token, s string) []Token {
	start, end := -1, 0
	for i := 0; i < len(s); {
		class, size := wordASCII[s[i]], 1
		if s[i] >= utf8.RuneSelf {
			var in *runeInfo
			if in, size = tableInfo(s, i); in != nil {
				class = in.word
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(s[i:])
				class = wordClass(r, size)
			}
		}
		switch class {
		case inWord:
			if start < 0 {
				start = i
			}
			end = i + size
		case afterWord: // a combining mark extends the syllable it follows
			if start >= 0 {
				end = i + size
			}
		case separator:
			if start >= 0 {
				toks = append(toks, Token{s[start:end], start, end})
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		toks = append(toks, Token{s[start:end], start, end})
	}
	return toks
}

// Classes of rune for Syllables.
const (
	separator uint8 = iota
	inWord          // letter or digit
	afterWord       // combining mark: part of a syllable, never its start
	invisible       // dropped by Clean: neither separates nor extends
)

var wordASCII [256]uint8 // only the ASCII half is used

func init() {
	for c := range utf8.RuneSelf {
		switch b := byte(c); {
		case isASCIILetter(b) || b >= '0' && b <= '9':
			wordASCII[c] = inWord
		case b < 0x20 && b != '\n' && b != '\t' && b != '\r' || b == 0x7F:
			wordASCII[c] = invisible
		}
	}
}

// wordClass classifies a rune for Syllables.
func wordClass(r rune, size int) uint8 {
	if in, ok := lookup(r); ok {
		return in.word
	}
	switch k, _ := specialKind(r); {
	case r == utf8.RuneError && size == 1:
		return separator
	case k == kindDrop:
		return invisible
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return inWord
	case unicode.IsMark(r):
		return afterWord
	}
	return separator
}

// tableWordClass is wordClass for a rune of the tables.
func tableWordClass(r rune, in *runeInfo) uint8 {
	switch {
	case in.flags&fLetter != 0:
		return inWord
	case in.kind == kindDrop:
		return invisible
	case in.kind == kindMark || unicode.IsMark(r):
		return afterWord
	}
	return separator
}
