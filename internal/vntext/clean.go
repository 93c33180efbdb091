package vntext

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean repairs text without changing its spelling:
//   - each invalid UTF-8 byte becomes U+FFFD;
//   - control characters are dropped, except '\n' and '\t'; "\r\n" becomes
//     "\n" and a lone '\r' becomes '\n' (dropping it would glue two lines);
//   - zero-width characters, bidi controls, U+FEFF and soft hyphens are dropped;
//   - NBSP and the other Unicode spaces become ' ', U+2028/U+2029 become '\n';
//   - Ð/ð (U+00D0/U+00F0), typed by mistake for Đ/đ, become Đ/đ;
//   - stray combining marks are dropped (see below).
//
// A combining mark of U+0300–U+036F is stray when no letter precedes it (an
// isolated mark after a space or punctuation), when it repeats the class of a
// mark its letter already carries (a second tone on `ị`, a second horn on
// `ơ`), or when it is a tone on a consonant of a syllable whose vowel already
// has one (`Lạng̣`). The mark the letter already had wins: in the corpus the
// earlier mark was the right one as often as the later (`đôí̀` for `đối`,
// `miể̃n` for `miễn`), and keeping it never rewrites a published letter.
// A tone on a bare vowel (`a` + U+0301, NFD text) is not stray, nor is a
// vowel mark after a toned letter (`ẹ` + U+0302 is `ệ`).
//
// Clean returns s itself, without allocating, when there is nothing to repair.
func Clean(s string) string {
	if isCleanNFC(s) {
		return s
	}
	c := cleaner{src: s}
	c.run()
	return c.result()
}

// Repair is Clean followed by NFC: what ingest applies to stored text. The
// spelling (tone placement included) stays as published.
func Repair(s string) string {
	if isCleanNFC(s) {
		return s
	}
	s = norm.NFC.String(Clean(s))
	// NFC splits a few characters into a symbol and a mark (U+2ADC → U+2ADD
	// U+0338), a mark Clean finds stray.
	if c := Clean(s); c != s {
		s = norm.NFC.String(c)
	}
	return s
}

// cleaner copies src to out lazily: out stays nil until the first change, so
// clean input costs one scan and no allocation.
type cleaner struct {
	src  string
	out  []byte
	done int // src[:done] has been written to out (or needs no change)

	// The letter the next combining mark would attach to.
	base      bool // a letter precedes, possibly followed by marks
	baseTone  bool // it carries a tone-class mark
	baseHat   bool // it carries a vowel-class mark
	baseVowel bool
	baseCons  bool
	sylTone   bool // a vowel of the current run of letters carries a tone
}

func (c *cleaner) run() {
	s := c.src
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			c.ascii(i, b)
			i++
			continue
		}
		r, size := decode(s, i)
		if r == utf8.RuneError && size == 1 {
			c.replace(i, 1, "\uFFFD")
			c.endLetters()
		} else {
			c.nonASCII(i, size, r)
		}
		i += size
	}
}

func (c *cleaner) result() string {
	if c.out == nil {
		return c.src
	}
	return string(append(c.out, c.src[c.done:]...))
}

// replace writes repl instead of src[i:i+size].
func (c *cleaner) replace(i, size int, repl string) {
	if c.out == nil {
		c.out = make([]byte, 0, len(c.src)+8)
	}
	c.out = append(c.out, c.src[c.done:i]...)
	c.out = append(c.out, repl...)
	c.done = i + size
}

func (c *cleaner) ascii(i int, b byte) {
	switch {
	case isASCIILetter(b):
		c.setBase(false, false, isASCIIVowel(b), !isASCIIVowel(b))
	case b >= 0x20 && b != 0x7F || b == '\n' || b == '\t':
		c.endLetters()
	case b == '\r':
		if i+1 < len(c.src) && c.src[i+1] == '\n' {
			c.replace(i, 1, "")
		} else {
			c.replace(i, 1, "\n")
		}
		c.endLetters()
	default: // other control characters vanish without separating anything
		c.replace(i, 1, "")
	}
}

func (c *cleaner) nonASCII(i, size int, r rune) {
	in, ok := lookup(r)
	if !ok {
		c.other(i, size, r)
		return
	}
	switch in.kind {
	case kindDrop:
		c.replace(i, size, "")
	case kindSpace:
		c.replace(i, size, " ")
		c.endLetters()
	case kindEth:
		if r == 'Ð' {
			c.replace(i, size, "Đ")
		} else {
			c.replace(i, size, "đ")
		}
		c.setBase(false, false, false, true)
	case kindMark:
		c.mark(i, size, r)
	default:
		switch {
		case in.flags&fLetter != 0:
			c.setBase(in.flags&fTone != 0, in.flags&fHat != 0, in.flags&fVowel != 0, in.flags&fConsonant != 0)
		case !unicode.IsMark(r): // marks outside U+0300–U+036F keep their letter
			c.endLetters()
		}
	}
}

// other handles a rune outside the tables.
func (c *cleaner) other(i, size int, r rune) {
	switch k, _ := specialKind(r); {
	case k == kindDrop:
		c.replace(i, size, "")
	case k == kindSpace:
		c.replace(i, size, " ")
		c.endLetters()
	case k == kindLine:
		c.replace(i, size, "\n")
		c.endLetters()
	case unicode.IsLetter(r):
		c.setBase(false, false, false, false)
	case !unicode.IsMark(r):
		c.endLetters()
	}
}

// mark keeps or drops a combining mark of U+0300–U+036F (see Clean).
func (c *cleaner) mark(i, size int, r rune) {
	if !c.base {
		c.replace(i, size, "")
		return
	}
	switch markClass(r) {
	case markTone:
		if c.baseTone || (c.baseCons && c.sylTone) {
			c.replace(i, size, "")
			return
		}
		c.baseTone = true
		c.sylTone = c.sylTone || c.baseVowel
	case markHat:
		if c.baseHat {
			c.replace(i, size, "")
			return
		}
		c.baseHat = true
	}
}

func (c *cleaner) setBase(tone, hat, vowel, cons bool) {
	c.base, c.baseTone, c.baseHat, c.baseVowel, c.baseCons = true, tone, hat, vowel, cons
	c.sylTone = c.sylTone || (tone && vowel)
}

func (c *cleaner) endLetters() {
	c.base, c.sylTone = false, false
}
