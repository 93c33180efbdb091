package vntext

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// decode is utf8.DecodeRuneInString(s[i:]) with the two- and three-byte
// sequences of Vietnamese text decoded in line.
func decode(s string, i int) (rune, int) {
	c := s[i]
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	if c > 0xE0 && c < 0xF0 && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		return rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s[i:])
}

// tableInfo returns the table entry of the rune starting s[i] and its size
// when it is a well-formed two-byte rune below lowEnd or a three-byte rune of
// U+1E00–U+1FFF: nearly every non-ASCII rune of Vietnamese text. Otherwise
// it returns nil, and the caller decodes the rune itself.
func tableInfo(s string, i int) (*runeInfo, int) {
	c := s[i]
	if c >= 0xC2 && c < 0xC0|lowEnd>>6 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return &lowInfo[rune(c&0x1F)<<6|rune(s[i+1]&0x3F)], 2
	}
	if c == 0xE1 && i+2 < len(s) && s[i+1] >= 0xB8 && s[i+1] <= 0xBF && s[i+2]&0xC0 == 0x80 {
		return &extInfo[rune(s[i+1]&0x07)<<6|rune(s[i+2]&0x3F)], 3
	}
	return nil, 0
}

// isCleanNFC reports whether Clean and NFC would both return s unchanged. It
// may answer false for text that is in fact clean NFC (Hangul, say): the
// caller then takes the slow path, which is only slower.
func isCleanNFC(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiFold[c] >= utf8.RuneSelf { // a control character
				return false
			}
			i++
			continue
		}
		// Vietnamese letters are read from the tables by their bytes, as
		// Syllables reads them; other runes are decoded.
		in, size := tableInfo(s, i)
		var r rune
		if in == nil {
			r, size = decode(s, i)
			in, _ = lookup(r)
		}
		if in != nil {
			if in.kind != kindOther || in.flags&fNotNFC != 0 {
				return false
			}
		} else if !isInert(s[i:], r, size) {
			return false
		}
		i += size
	}
	return true
}

// isInert reports whether the rune r (of size bytes, starting s) is left
// alone by Clean and never interacts with its neighbours under NFC.
func isInert(s string, r rune, size int) bool {
	if r == utf8.RuneError && size == 1 {
		return false
	}
	if _, special := specialKind(r); special {
		return false
	}
	return norm.NFC.PropertiesString(s).BoundaryAfter()
}
