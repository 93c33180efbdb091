package vntext

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s, removes every tone and vowel mark (â ă ê ô ơ ư → a a e
// o o u) and maps đ/Đ to d, in one pass over a rune table (DESIGN.md rule 4).
// Combining marks U+0300–U+036F are dropped, so NFD text folds like NFC text;
// other Latin, Greek and Cyrillic letters lose their marks too (Muñoz →
// munoz), and the other runes are lower-cased and kept. Fold also makes
// Clean's repairs (invisible characters dropped, spaces unified, Ð → d), so
// that Fold(Normalize(s)) == Fold(s) for every s.
func Fold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && asciiFold[s[i]] == s[i] {
		i++
	}
	if i == len(s) {
		return s // already folded: lower-case ASCII
	}
	return string(AppendFold(make([]byte, 0, len(s)+8), s))
}

// AppendFold appends Fold(s) to dst and returns the extended buffer; it
// saves a copy where the folding is wanted as bytes (bleve terms).
func AppendFold(dst []byte, s string) []byte {
	if buf, ok := foldInto(dst, s, 0, false); ok {
		return buf
	}
	return append(dst, foldSlow(s)...)
}

// asciiFold maps an ASCII byte to its folded byte: lower case, or dropASCII
// for a control character, or crASCII for '\r'.
var asciiFold [utf8.RuneSelf]byte

const (
	dropASCII = 0xFF
	crASCII   = 0xFE
)

func init() {
	for c := range asciiFold {
		switch b := byte(c); {
		case b == '\r':
			asciiFold[c] = crASCII
		case b < 0x20 && b != '\n' && b != '\t' || b == 0x7F:
			asciiFold[c] = dropASCII
		case b >= 'A' && b <= 'Z':
			asciiFold[c] = b + 'a' - 'A'
		default:
			asciiFold[c] = b
		}
	}
}

// foldInto appends the folding of s[i:] to buf. Unless trusted (s is already
// clean NFC), it reports false when s has a rune whose NFC composition or
// reordering would change the result; the caller then takes foldSlow.
func foldInto(buf []byte, s string, i int, trusted bool) ([]byte, bool) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			switch f := asciiFold[c]; f {
			case dropASCII:
			case crASCII:
				if i+1 == len(s) || s[i+1] != '\n' {
					buf = append(buf, '\n')
				}
			default:
				buf = append(buf, f)
			}
			i++
			continue
		}
		in, size := tableInfo(s, i)
		if in == nil {
			var r rune
			r, size = decode(s, i)
			if in, _ = lookup(r); in == nil {
				var ok bool
				if buf, ok = foldOther(buf, s[i:], r, size, trusted); !ok {
					return buf, false
				}
				i += size
				continue
			}
		}
		switch in.kind {
		case kindOther, kindEth:
			if in.fold < utf8.RuneSelf {
				buf = append(buf, byte(in.fold))
			} else {
				buf = utf8.AppendRune(buf, in.fold)
			}
		case kindSpace:
			buf = append(buf, ' ')
		case kindLine:
			buf = append(buf, '\n')
		case kindComposite:
			if !trusted {
				return buf, false
			}
			r, _ := decode(s, i)
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		}
		i += size
	}
	return buf, true
}

// foldOther folds a rune outside the tables: s starts with it.
func foldOther(buf []byte, s string, r rune, size int, trusted bool) ([]byte, bool) {
	switch k, _ := specialKind(r); {
	case r == utf8.RuneError && size == 1:
		return append(buf, "\uFFFD"...), true
	case k == kindDrop:
		return buf, true
	case k == kindSpace:
		return append(buf, ' '), true
	case k == kindLine:
		return append(buf, '\n'), true
	case !trusted && !isInert(s, r, size):
		// It may compose with or reorder around its neighbours (Hangul jamo,
		// kana voicing marks, Indic nuktas, singletons such as U+212B Å).
		return buf, false
	}
	return utf8.AppendRune(buf, unicode.ToLower(r)), true
}

// foldSlow folds text that NFC would change beyond the marks Fold drops: it
// folds the clean NFC text, and repeats until the result is stable (removing
// a mark can let NFC compose two neighbours, e.g. Hangul jamo).
func foldSlow(s string) string {
	for range 4 {
		buf, _ := foldInto(nil, norm.NFC.String(Clean(s)), 0, true)
		if string(buf) == s {
			break
		}
		s = string(buf)
	}
	return s
}

// HasDiacritics reports whether s has a Vietnamese tone or vowel mark
// (precomposed or combining) or the letter đ (Đ, and Ð/ð that Clean maps to
// it). A query that has none matches every spelling.
func HasDiacritics(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size - 1
		in, ok := lookup(r)
		switch {
		case !ok:
		case in.flags&fViet != 0 && (in.let.tone != 0 || hasHat(in.let.vowel)):
			return true
		case in.fold == 'd' && in.flags&fConsonant != 0:
			return true
		case in.kind == kindMark && markClass(r) != markOther:
			return true
		}
	}
	return false
}
