package vntext

import (
	"unicode"
	"unicode/utf8"
)

// Normalize is Repair plus canonical tone placement (DESIGN.md rule 3), keeping
// the case of every letter: hoà → hòa, thuỷ → thủy, khoẻ → khỏe, uỷ → ủy,
// baỏ → bảo, lựơng → lượng, ngưòi → người. It is how terms are compared,
// never how text is stored.
//
// Only syllables that parse as Vietnamese (initial consonant, a known vowel
// cluster, final consonant) are touched, so English words, names such as
// Hoàng and numbers stay as they are. Normalize returns s itself, without
// allocating, when s is already clean, NFC and canonical.
func Normalize(s string) string {
	if out, ok := placeTones(s, true); ok {
		return out
	}
	out, _ := placeTones(Repair(s), false)
	return out
}

// placeTones puts the tone of every Vietnamese syllable of s on its
// canonical vowel. Syllables are runs of letters; a run that holds a
// combining mark or a letter outside the Vietnamese alphabet is left alone.
// With check set it also verifies, in the same pass, that s is clean NFC
// text, and gives up (ok false) when it is not: then the caller repairs s
// first. Without check, s must be clean NFC.
//
// Most syllables are settled while scanning, without parsing them: one with
// no tone, one with a single vowel, or one whose tone sits on its only
// vowel with a hat or horn is already canonical.
func placeTones(s string, check bool) (_ string, ok bool) {
	var (
		out  []byte // nil until the first change
		done int    // s[:done] is written to out (or needs no change)
		run  = toneRun{start: -1, prev: -1}
	)
	for i := 0; i < len(s); {
		c := s[i]
		size, isLetter := 1, false
		if c < utf8.RuneSelf {
			if isLetter = isASCIILetter(c); isLetter {
				run.letter(asciiLetter[c].vowel, 0)
			} else if check && asciiFold[c] >= utf8.RuneSelf {
				return "", false // a control character
			}
		} else {
			var r rune
			r, size = decode(s, i)
			in, found := lookup(r)
			switch {
			case !found:
				if check && !isInert(s[i:], r, size) {
					return "", false
				}
				isLetter = unicode.IsLetter(r) || unicode.IsMark(r)
				run.bad = run.bad || isLetter
			case check && (in.kind != kindOther || in.flags&fNotNFC != 0):
				return "", false
			case in.flags&fViet != 0:
				isLetter, run.viet = true, true
				run.letter(in.let.vowel, in.let.tone)
			case in.let.cons == 'D': // đ
				isLetter = true
				run.letter(-1, 0)
			default:
				isLetter = in.flags&fLetter != 0
				run.bad = run.bad || isLetter // a letter Vietnamese does not use
			}
		}
		if isLetter {
			if run.start < 0 {
				run.start = i
			}
		} else if run.start >= 0 {
			out, done = run.fix(s, i, out, done)
		}
		i += size
	}
	if run.start >= 0 {
		out, done = run.fix(s, len(s), out, done)
	}
	if out == nil {
		return s, true
	}
	return string(append(out, s[done:]...)), true
}

// toneRun sums up a run of letters while placeTones scans it.
type toneRun struct {
	start                        int
	letters, vowels, hats, tones int
	toneOnHat, viet, bad, horn   bool
	prev                         int8 // vowel number of the previous letter, -1 after a consonant
}

// letter records a letter: v is its vowel number (-1 for a consonant).
func (t *toneRun) letter(v int8, tone uint8) {
	t.letters++
	if v >= 0 {
		t.vowels++
		if hasHat(v) {
			t.hats++
		}
		if tone != 0 {
			t.tones++
			t.toneOnHat = hasHat(v)
		}
		t.horn = t.horn || (t.prev == vUw && v == vO) || (t.prev == vU && v == vOw)
	}
	t.prev = v
}

// fix ends the run at end: if its syllable needs fixing, the text from done
// to the run and the fixed syllable are appended to out. It returns the new
// out and done and resets the run.
func (t *toneRun) fix(s string, end int, out []byte, done int) ([]byte, int) {
	if t.mayNeedFix() {
		var buf [4 * maxSyllable]byte
		if fixed, changed := fixSyllable(s[t.start:end], buf[:0]); changed {
			if out == nil {
				out = make([]byte, 0, len(s)+8)
			}
			out = append(append(out, s[done:t.start]...), fixed...)
			done = end
		}
	}
	*t = toneRun{start: -1, prev: -1}
	return out, done
}

// mayNeedFix reports whether the run must be parsed: it may be a Vietnamese
// syllable whose tone is not where it belongs or whose ươ lacks a horn.
func (t *toneRun) mayNeedFix() bool {
	if !t.viet || t.bad || t.letters > maxSyllable {
		return false
	}
	return t.horn || t.tones == 1 && t.vowels > 1 && !(t.toneOnHat && t.hats == 1)
}

// maxSyllable is the longest Vietnamese syllable in letters (nghiêng).
const maxSyllable = 7

// fixSyllable appends the canonical form of syl, a run of letters, to buf
// and reports whether it differs from syl.
func fixSyllable(syl string, buf []byte) ([]byte, bool) {
	var p syllable
	for i := 0; i < len(syl); {
		if p.n == maxSyllable {
			return buf, false
		}
		var l letter
		if c := syl[i]; c < utf8.RuneSelf {
			l = asciiLetter[c]
			i++
		} else {
			r, size := decode(syl, i)
			in, ok := lookup(r)
			if !ok || in.flags&fViet == 0 && r != 'đ' && r != 'Đ' {
				return buf, false
			}
			l = in.let
			i += size
		}
		p.letters[p.n] = l
		p.n++
	}
	return p.fix(buf)
}

// letter is one letter of a syllable being parsed.
type letter struct {
	vowel int8 // vowel number, or -1 for a consonant
	tone  uint8
	upper bool
	cons  byte // lower-case consonant; 'D' for đ
}

// syllable is a parsed Vietnamese syllable: letters[:vs] is the initial
// consonant (with the u of qu and the i of gi), letters[vs:ve] the vowel
// cluster, letters[ve:n] the final consonant.
type syllable struct {
	letters    [maxSyllable]letter
	n, vs, ve  int
	tonePos    int // index of the toned letter, -1 when none
	tone       uint8
	hornRepair bool // ưo or uơ+final was written without one of the horns of ươ
}

// fix appends the canonical form of the syllable to buf and reports whether
// it differs from the syllable as written.
func (p *syllable) fix(buf []byte) ([]byte, bool) {
	if !p.split() {
		return buf, false
	}
	pos := clusterPos(p)
	if pos < 0 {
		return buf, false
	}
	target := p.vs + pos
	if !p.hornRepair && (p.tone == 0 || p.tonePos == target) {
		return buf, false
	}
	if p.tonePos >= 0 {
		p.letters[p.tonePos].tone = 0
		p.letters[target].tone = p.tone
	}
	for _, l := range p.letters[:p.n] {
		buf = appendLetter(buf, l)
	}
	return buf, true
}

func appendLetter(buf []byte, l letter) []byte {
	up := 0
	if l.upper {
		up = 1
	}
	switch {
	case l.vowel >= 0:
		return utf8.AppendRune(buf, vowelRune[l.vowel][l.tone][up])
	case l.cons == 'D':
		return utf8.AppendRune(buf, [2]rune{'đ', 'Đ'}[up])
	case l.upper:
		return append(buf, l.cons-'a'+'A')
	}
	return append(buf, l.cons)
}

// split finds the initial, the vowel cluster and the final of the letters,
// and reports whether they make a Vietnamese syllable with at most one tone.
func (p *syllable) split() bool {
	l := p.letters[:p.n]
	i := 0
	for i < p.n && l[i].vowel < 0 {
		i++
	}
	j := i
	for j < p.n && l[j].vowel >= 0 {
		j++
	}
	for k := j; k < p.n; k++ {
		if l[k].vowel >= 0 {
			return false // a vowel after the final consonant
		}
	}
	initial := consonants(l[:i])
	if i == j || !validInitial(initial) || !validFinal(consonants(l[j:])) {
		return false
	}
	p.vs, p.ve = i, j
	switch {
	case initial == 'q': // qu is a consonant: quý, quyết, quá
		if l[i].vowel != vU || j-i < 2 {
			return false
		}
		p.vs++
	case initial == 'g' && l[i].vowel == vI && j-i > 1: // gi is a consonant: già, giữ
		p.vs++
	}
	p.tonePos, p.tone, p.hornRepair = -1, 0, false
	for k := i; k < j; k++ {
		if l[k].tone != 0 {
			if p.tonePos >= 0 {
				return false // two tones
			}
			p.tonePos, p.tone = k, l[k].tone
		}
	}
	return p.ve-p.vs <= 3
}

// consonants packs the consonant letters of l into a key (first letter in
// the low byte) for validInitial and validFinal; đ is 'D'.
func consonants(l []letter) uint32 {
	if len(l) > 3 {
		return ^uint32(0)
	}
	var k uint32
	for i, c := range l {
		k |= uint32(c.cons) << (8 * i)
	}
	return k
}

func validInitial(k uint32) bool {
	switch k {
	case 0, 'b', 'c', 'c' | 'h'<<8, 'd', 'D', 'g', 'g' | 'h'<<8, 'h', 'k', 'k' | 'h'<<8, 'l', 'm',
		'n', 'n' | 'g'<<8, 'n' | 'g'<<8 | 'h'<<16, 'n' | 'h'<<8, 'p', 'p' | 'h'<<8, 'q', 'r', 's',
		't', 't' | 'h'<<8, 't' | 'r'<<8, 'v', 'x':
		return true
	}
	return false
}

func validFinal(k uint32) bool {
	switch k {
	case 0, 'c', 'c' | 'h'<<8, 'm', 'n', 'n' | 'g'<<8, 'n' | 'h'<<8, 'p', 't':
		return true
	}
	return false
}

func isViConsonant(c byte) bool {
	switch c {
	case 'b', 'c', 'd', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'v', 'x':
		return true
	}
	return false
}

func asciiVowel(c byte) int8 {
	switch c {
	case 'a':
		return vA
	case 'e':
		return vE
	case 'i':
		return vI
	case 'o':
		return vO
	case 'u':
		return vU
	case 'y':
		return vY
	}
	return -1
}
