package vntext

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The twelve Vietnamese vowel letters, indexed by vowel number, and the five
// tone marks in tone order (index 0 is "no tone").
const (
	vowelLetters = "aăâeêioôơuưy"
	numVowels    = 12
	numTones     = 6
)

var toneMarks = [numTones]rune{0, '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'} // huyền hỏi ngã sắc nặng

// Vowel numbers used by the tone rules.
const (
	vA, vAw, vAa, vE, vEe, vI, vO, vOo, vOw, vU, vUw, vY int8 = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
)

// hasHat reports whether a vowel carries a vowel mark (ă â ê ô ơ ư): such a
// vowel takes the tone of its syllable.
func hasHat(v int8) bool {
	return v == vAw || v == vAa || v == vEe || v == vOo || v == vOw || v == vUw
}

// vowelRune[v][tone][upper] is the precomposed letter.
var vowelRune [numVowels][numTones][2]rune

// Kinds of rune, as Clean and Fold treat them.
const (
	kindOther     uint8 = iota // kept as is (lower-cased by Fold)
	kindDrop                   // control or invisible character: dropped
	kindSpace                  // NBSP and other spaces: written as ' '
	kindLine                   // U+2028/U+2029: written as '\n'
	kindCR                     // '\r': dropped before '\n', else written as '\n'
	kindEth                    // Ð/ð, typed by mistake for Đ/đ
	kindMark                   // combining mark U+0300–U+036F
	kindComposite              // Fold must NFC the whole string first (see foldSlow)
)

// Letter flags.
const (
	fLetter    uint8 = 1 << iota
	fVowel           // a Latin vowel letter (a e i o u y, with or without marks)
	fConsonant       // a Latin consonant letter (đ included)
	fTone            // carries a tone-class mark (grave, acute, tilde, hook, dot below)
	fHat             // carries a vowel-class mark (circumflex, breve, horn)
	fViet            // one of the 144 Vietnamese vowel letters
	fNotNFC          // NFC changes this rune on its own (a singleton such as U+037E → ';')
)

// runeInfo is what every function of the package needs to know about a rune
// of the Latin, Greek and Cyrillic blocks, computed once from Unicode data.
type runeInfo struct {
	fold  rune // Fold's output (lower case, marks removed); unused for kindDrop
	kind  uint8
	flags uint8
	word  uint8  // its class for Syllables
	let   letter // for fViet and đ: the letter as Normalize's syllable parser sees it
}

// The tables cover U+0000–U+04FF and U+1E00–U+1FFF: Latin (Vietnamese
// included), Greek and Cyrillic, whose letters compose only with marks of
// U+0300–U+036F. Everything else is classified on the fly.
const (
	lowEnd   = 0x500
	extStart = 0x1E00
	extEnd   = 0x2000
)

var (
	lowInfo [lowEnd]runeInfo
	extInfo [extEnd - extStart]runeInfo
)

func init() {
	for v, base := range []rune(vowelLetters) {
		for t, mark := range toneMarks {
			lower := compose(base, mark)
			vowelRune[v][t] = [2]rune{lower, unicode.ToUpper(lower)}
		}
	}
	for r := rune(0); r < lowEnd; r++ {
		lowInfo[r] = computeInfo(r)
	}
	for r := rune(extStart); r < extEnd; r++ {
		extInfo[r-extStart] = computeInfo(r)
	}
	for v := range vowelRune {
		for t := range vowelRune[v] {
			for up, r := range vowelRune[v][t] {
				in := infoOf(r)
				in.flags |= fViet
				in.let = letter{vowel: int8(v), tone: uint8(t), upper: up == 1}
			}
		}
	}
	infoOf('đ').let = letter{vowel: -1, cons: 'D'}
	infoOf('Đ').let = letter{vowel: -1, cons: 'D', upper: true}
	for c := range asciiLetter {
		b := byte(c)
		l := letter{vowel: asciiVowel(b | 0x20), upper: b >= 'A' && b <= 'Z', cons: notALetter}
		if l.vowel < 0 && isASCIILetter(b) && isViConsonant(b|0x20) {
			l.cons = b | 0x20
		}
		asciiLetter[c] = l
	}
}

// asciiLetter is the letter of each ASCII byte for the syllable parser;
// letters outside the Vietnamese alphabet (f, j, w, z) have cons notALetter.
var asciiLetter [utf8.RuneSelf]letter

const notALetter = '?'

func compose(base, mark rune) rune {
	s := string(base)
	if mark != 0 {
		s += string(mark)
	}
	r, size := utf8.DecodeRuneInString(norm.NFC.String(s))
	if size != len(norm.NFC.String(s)) {
		panic("vntext: no precomposed form of " + s)
	}
	return r
}

// infoOf returns the table entry of r, which must be in a table range.
func infoOf(r rune) *runeInfo {
	if r < lowEnd {
		return &lowInfo[r]
	}
	return &extInfo[r-extStart]
}

// lookup returns the table entry of r, or false when r is outside the tables.
func lookup(r rune) (*runeInfo, bool) {
	switch {
	case r < lowEnd:
		return &lowInfo[r], true
	case r >= extStart && r < extEnd:
		return &extInfo[r-extStart], true
	}
	return nil, false
}

func computeInfo(r rune) runeInfo {
	in := computeFoldInfo(r)
	in.word = tableWordClass(r, &in)
	return in
}

func computeFoldInfo(r rune) runeInfo {
	if k, ok := specialKind(r); ok {
		return runeInfo{kind: k, fold: r}
	}
	switch {
	case r == 'Ð' || r == 'ð':
		return runeInfo{kind: kindEth, fold: 'd', flags: fLetter | fConsonant}
	case r == 'Đ' || r == 'đ':
		return runeInfo{fold: 'd', flags: fLetter | fConsonant}
	case r >= 0x300 && r < 0x370:
		return runeInfo{kind: kindMark, fold: r}
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		// Cyrillic marks U+0483–U+0489 take part in canonical reordering.
		return runeInfo{kind: kindComposite, fold: r}
	}
	decomposed := []rune(norm.NFD.String(string(r)))
	in := runeInfo{fold: unicode.ToLower(decomposed[0])}
	for _, m := range decomposed[1:] {
		switch markClass(m) {
		case markTone:
			in.flags |= fTone
		case markHat:
			in.flags |= fHat
		case markNone:
			in.kind = kindComposite // a decomposition Fold cannot strip rune by rune
		}
	}
	if in.kind == kindComposite {
		return in
	}
	if norm.NFC.String(string(r)) != string(r) {
		in.flags |= fNotNFC
	}
	if unicode.IsLetter(r) {
		in.flags |= fLetter
		if base := in.fold; base < utf8.RuneSelf && isASCIILetter(byte(base)) {
			if isASCIIVowel(byte(base)) {
				in.flags |= fVowel
			} else {
				in.flags |= fConsonant
			}
		}
	}
	return in
}

// specialKind classifies the characters Clean removes or replaces.
func specialKind(r rune) (uint8, bool) {
	switch {
	case r == '\n' || r == '\t':
		return kindOther, false
	case r == '\r':
		return kindCR, true
	case r < 0x20 || (r >= 0x7F && r < 0xA0):
		return kindDrop, true
	case r == 0xAD, r == 0x180E, r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x206F, r == 0xFEFF:
		// soft hyphen, zero-width characters, bidi controls, word joiner, BOM
		return kindDrop, true
	case r == 0x2028 || r == 0x2029:
		return kindLine, true
	case r != ' ' && unicode.Is(unicode.Zs, r):
		return kindSpace, true
	}
	return kindOther, false
}

// Classes of combining marks for the stray-mark rule: a letter takes one
// tone and one vowel mark.
const (
	markNone  = iota // not a Vietnamese mark
	markTone         // grave, acute, tilde, hook above, dot below (and U+0340/U+0341/U+0344)
	markHat          // circumflex, breve, horn
	markOther        // another mark of U+0300–U+036F
)

func markClass(m rune) int {
	switch m {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0340', '\u0341', '\u0344':
		return markTone
	case '\u0302', '\u0306', '\u031B':
		return markHat
	}
	if m >= 0x300 && m < 0x370 {
		return markOther
	}
	return markNone
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func isASCIIVowel(c byte) bool {
	switch c | 0x20 {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}
