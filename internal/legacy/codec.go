package legacy

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// singleByte is a one-byte-per-letter table (TCVN3, VISCII, and VNI's letters
// that take no mark). dec[b] == 0 means the byte has no meaning in it.
type singleByte struct {
	dec [256]rune
	enc map[rune]byte
}

var (
	tcvn3Extra = func() (t [256]bool) {
		for b := range tcvn3DecodeOnly {
			t[b] = true
		}
		return t
	}()
	tcvn3Table  = buildTCVN3()
	visciiTable = buildVISCII()
	vniSingle   = buildVNISingle()
	vniPair     = buildVNIPairs() // [base byte][mark byte] → letter
)

func asciiTable() singleByte {
	var t singleByte
	t.enc = make(map[rune]byte, 256)
	for b := 1; b < 0x80; b++ {
		t.dec[b] = rune(b)
		t.enc[rune(b)] = byte(b)
	}
	return t
}

// addCP1252Punct gives 0x80–0x9F their Windows meaning: TCVN3 and VNI fonts
// were Windows fonts and kept the typographic quotes and dashes there.
func (t *singleByte) addCP1252Punct() {
	for i, r := range cp1252High {
		if r >= 0x100 {
			t.dec[0x80+i] = r
			t.enc[r] = byte(0x80 + i)
		}
	}
}

func (t *singleByte) add(b byte, r rune) {
	t.dec[b] = r
	t.enc[r] = b
}

func buildTCVN3() singleByte {
	t := asciiTable()
	t.addCP1252Punct()
	t.add(0xA0, '\u00A0')
	for i, forms := range vowelForms {
		for tone, r := range forms {
			t.add(tcvn3Vowels[i][tone], r)
		}
	}
	for r, b := range tcvn3Other {
		t.add(b, r)
	}
	for b, r := range tcvn3DecodeOnly {
		t.dec[b] = r
	}
	return t
}

func buildVISCII() singleByte {
	t := asciiTable()
	for b, r := range visciiC0 {
		delete(t.enc, rune(b))
		t.add(b, r)
	}
	b := 0x80
	for _, r := range visciiHigh {
		t.add(byte(b), r)
		b++
	}
	return t
}

func buildVNISingle() singleByte {
	t := asciiTable()
	t.addCP1252Punct()
	for b := 0xA0; b < 0xC0; b++ { // VNI fonts keep the Latin-1 symbols here
		t.add(byte(b), rune(b))
	}
	for c, up := range []bool{false, true} {
		letter := func(r rune) rune {
			if up {
				return unicode.ToUpper(r)
			}
			return r
		}
		t.add(vniHornO[c], letter('ơ'))
		t.add(vniHornU[c], letter('ư'))
		t.add(vniStroke[c], letter('đ'))
		t.add(vniDotY[c], letter('ỵ'))
		for tone := toneGrave; tone < numTones; tone++ {
			t.add(vniToneI[tone][c], letter(vowelForms[5][tone]))
		}
	}
	return t
}

// buildVNIPairs maps every (base, mark) pair of the chart in both cases.
// Decoding is lenient about case: a mark of either height follows the case
// of its base letter, and i+tone and y+dot (the chart has single bytes for
// them) are read too.
func buildVNIPairs() *[256]*[256]rune {
	var t [256]*[256]rune
	set := func(base, mark byte, r rune) {
		if t[base] == nil {
			t[base] = new([256]rune)
		}
		t[base][mark] = r
	}
	for i, base := range vowelBases {
		for tone, r := range vowelForms[i] {
			for c := range 2 {
				spell := vniSpell(base, uint8(tone), c)
				if len(spell) != 2 {
					continue
				}
				for mc := range 2 { // either mark height
					mark := markOtherCase(spell[1], c, mc)
					out := r
					if c == 1 {
						out = unicode.ToUpper(r)
					}
					set(spell[0], mark, out)
				}
			}
		}
	}
	for c, base := range []byte{'i', 'I'} {
		for tone := toneGrave; tone < numTones; tone++ {
			for mc := range 2 {
				set(base, vniTone[tone][mc], caseAs(vowelForms[5][tone], c))
			}
		}
	}
	for c, base := range []byte{'y', 'Y'} {
		for mc := range 2 {
			set(base, vniTone[toneDot][mc], caseAs('ỵ', c))
		}
	}
	return &t
}

// markOtherCase returns mark (written for case c) in case want.
func markOtherCase(mark byte, c, want int) byte {
	if c == want {
		return mark
	}
	for _, set := range [][numTones][2]byte{vniTone, vniHat, vniBreve} {
		for _, pair := range set {
			if pair[c] == mark && mark != 0 {
				return pair[want]
			}
		}
	}
	return mark
}

func caseAs(r rune, c int) rune {
	if c == 1 {
		return unicode.ToUpper(r)
	}
	return r
}

// How well a run of cells decoded.
type fit uint8

const (
	fitted   fit = iota // every byte is a letter or sign of the encoding
	fallback            // some byte is only in TCVN3's VN1 extras (separate marks, VN1 capitals)
	unfitted            // some byte that should be a letter has no meaning in the encoding
)

// decodeCells decodes legacy cells (see byteOf) with e, appending to dst. A
// rune that is no legacy byte is copied, and so is a byte the encoding does
// not define (reported by the fit).
func decodeCells(dst, cells []rune, e Encoding) ([]rune, fit) {
	f := fitted
	var t *singleByte
	switch e {
	case TCVN3:
		t = &tcvn3Table
	case VISCII:
		t = &visciiTable
	case VNI:
		t = &vniSingle
	default:
		return append(dst, cells...), fitted
	}
	for i := 0; i < len(cells); i++ {
		r := cells[i]
		b, ok := byteOf(r)
		if !ok {
			dst = append(dst, r)
			continue
		}
		if e == VNI && i+1 < len(cells) {
			if m, ok := byteOf(cells[i+1]); ok {
				if p := vniPair[b]; p != nil && p[m] != 0 {
					dst = append(dst, p[m])
					i++
					continue
				}
			}
		}
		if d := t.dec[b]; d != 0 || b == 0 {
			if e == TCVN3 && tcvn3Extra[b] && f == fitted {
				f = fallback
			}
			dst = append(dst, d)
			continue
		}
		if unicode.IsLetter(r) || b >= 0xC0 {
			f = unfitted
		}
		dst = append(dst, r)
	}
	return dst, f
}

// Encode writes Unicode text in a legacy encoding: the inverse of the
// conversion, for tests, the evaluation and making sample files. The text is
// put in NFC first. A rune the encoding cannot write becomes '?', and
// unmapped counts them. In TCVN3 an upper-case toned vowel is written with
// its lower-case code, as VN3 prescribes. Unicode returns the UTF-8 bytes.
func Encode(s string, e Encoding) (b []byte, unmapped int) {
	s = norm.NFC.String(s)
	if e == Unicode || e == Auto {
		return []byte(s), 0
	}
	out := make([]byte, 0, len(s)+len(s)/4)
	for _, r := range s {
		var ok bool
		if out, ok = appendLegacy(out, r, e); !ok {
			out = append(out, '?')
			unmapped++
		}
	}
	return out, unmapped
}

func appendLegacy(out []byte, r rune, e Encoding) ([]byte, bool) {
	if r == utf8.RuneError {
		return out, false
	}
	switch e {
	case TCVN3:
		if b, ok := tcvn3Table.enc[r]; ok {
			return append(out, b), true
		}
		if _, ok := vowelOf(r); ok && unicode.IsUpper(r) {
			return append(out, tcvn3Table.enc[unicode.ToLower(r)]), true // VN3 has no upper-case toned vowels
		}
		switch r { // separate tone marks left over after NFC
		case '\u0300', '\u0309', '\u0303', '\u0301', '\u0323':
			for b, m := range tcvn3DecodeOnly {
				if m == r {
					return append(out, b), true
				}
			}
		}
	case VISCII:
		if b, ok := visciiTable.enc[r]; ok {
			return append(out, b), true
		}
	case VNI:
		if b, ok := vniSingle.enc[r]; ok && (r < 0x80 || !isVietLetter(r)) {
			return append(out, b), true
		}
		c := 0
		if unicode.IsUpper(r) {
			c = 1
		}
		if v, ok := vowelOf(r); ok {
			return append(out, vniSpell(v.base, v.tone, c)...), true
		}
		if r == 'đ' || r == 'Đ' {
			return append(out, vniStroke[c]), true
		}
	}
	return out, false
}

// isVietLetter reports whether r is one of the 134 non-ASCII Vietnamese letters.
func isVietLetter(r rune) bool {
	if r == 'đ' || r == 'Đ' {
		return true
	}
	_, ok := vowelOf(r)
	return ok && r >= 0x80
}
