package restore

import (
	"strings"
	"unicode/utf8"
)

// Tones, in the order of the rows below.
const (
	toneNone = iota
	toneAcute
	toneGrave
	toneHook
	toneTilde
	toneDot
)

// vowelRows lists every lower-case Vietnamese vowel: the base letter (with
// its hat, horn or breve) followed by its five toned forms.
var vowelRows = [...]string{
	"aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị",
	"oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ",
}

type vowel struct {
	base rune // the letter without its tone: a, ă, â, e, ê, …
	tone int
}

var (
	vowelOf = map[rune]vowel{}   // toned or plain vowel → its parts
	toned   = map[rune][6]rune{} // base → its six forms
	marked  = map[rune]bool{'ă': true, 'â': true, 'ê': true, 'ô': true, 'ơ': true, 'ư': true}
)

func init() {
	for _, row := range vowelRows {
		var forms [6]rune
		i := 0
		for _, r := range row {
			forms[i] = r
			i++
		}
		toned[forms[0]] = forms
		for t, r := range forms {
			vowelOf[r] = vowel{forms[0], t}
		}
	}
}

// initials are the consonant onsets of Vietnamese syllables ("" is none).
var initials = setOf("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n",
	"ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")

// finals are the consonant codas; glides (i, y, o, u) belong to the nucleus.
var finals = setOf("", "c", "ch", "m", "n", "ng", "nh", "p", "t")

// Nuclei by whether a consonant final may or must follow them.
var (
	openNuclei = setOf("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi",
		"ui", "ưi", "ưu", "ưa", "ua", "uơ", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uôi", "uya",
		"uyu", "ươi", "ươu", "uây")
	eitherNuclei = setOf("a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "uê")
	closedNuclei = setOf("ă", "â", "iê", "yê", "uô", "ươ", "uyê", "oă", "uâ", "oo")
)

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

// syllable is a Vietnamese syllable split into its parts. Vowels keep
// their hat, horn or breve; the tone is held apart.
type syllable struct {
	initial string
	vowels  []rune
	final   string
	tone    int
}

// String writes the syllable with its tone on the vowel that carries it in
// the canonical placement of DESIGN.md (hòa, toàn, người, quý).
func (s syllable) String() string {
	var b strings.Builder
	b.WriteString(s.initial)
	at := tonePosition(s.vowels, s.final)
	for i, v := range s.vowels {
		if i == at && s.tone != toneNone {
			v = toned[v][s.tone]
		}
		b.WriteRune(v)
	}
	b.WriteString(s.final)
	return b.String()
}

// tonePosition picks the vowel that takes the tone: a vowel with a hat or
// horn (the last one, so ươ puts it on ơ); else the last vowel of a closed
// syllable; else the first of two or the middle of three (hòa, ngoài).
func tonePosition(vowels []rune, final string) int {
	for i := len(vowels) - 1; i >= 0; i-- {
		if marked[vowels[i]] {
			return i
		}
	}
	switch {
	case final != "":
		return len(vowels) - 1
	case len(vowels) == 3:
		return 1
	}
	return 0
}

// parseSyllable splits a lower-case syllable into its parts and reports
// whether it is a well-formed Vietnamese syllable: a known onset, nucleus
// and coda that go together, the spelling rules for c/k, g/gh and ng/ngh,
// and only sắc or nặng (or no tone) before p, t, c and ch.
func parseSyllable(s string) (syllable, bool) {
	var syl syllable
	rest := s
	for rest != "" {
		r, n := utf8.DecodeRuneInString(rest)
		if _, isVowel := vowelOf[r]; isVowel {
			break
		}
		rest = rest[n:]
	}
	syl.initial = s[:len(s)-len(rest)]
	toneSeen := false
	for rest != "" {
		r, n := utf8.DecodeRuneInString(rest)
		v, isVowel := vowelOf[r]
		if !isVowel {
			break
		}
		if v.tone != toneNone {
			if toneSeen {
				return syl, false
			}
			toneSeen, syl.tone = true, v.tone
		}
		syl.vowels = append(syl.vowels, v.base)
		rest = rest[n:]
	}
	syl.final = rest
	// qu and gi are consonants: their u and i belong to the onset, unless
	// the i is the only vowel (gì, gìn).
	switch {
	case syl.initial == "q" && len(syl.vowels) > 1 && syl.vowels[0] == 'u':
		syl.initial, syl.vowels = "qu", syl.vowels[1:]
	case syl.initial == "g" && len(syl.vowels) > 1 && syl.vowels[0] == 'i':
		syl.initial, syl.vowels = "gi", syl.vowels[1:]
	}
	return syl, syl.valid()
}

func (s syllable) valid() bool {
	if len(s.vowels) == 0 || !initials[s.initial] || !finals[s.final] {
		return false
	}
	nucleus := string(s.vowels)
	switch {
	case openNuclei[nucleus]:
		if s.final != "" {
			return false
		}
	case closedNuclei[nucleus]:
		if s.final == "" {
			return false
		}
	case !eitherNuclei[nucleus]:
		return false
	}
	first, last := s.vowels[0], s.vowels[len(s.vowels)-1]
	front := first == 'i' || first == 'e' || first == 'ê' || first == 'y'
	switch s.initial {
	case "k", "gh", "ngh":
		if !front {
			return false
		}
	case "c", "ng":
		if front {
			return false
		}
	case "g":
		if first == 'e' || first == 'ê' || first == 'y' {
			return false
		}
	}
	switch s.final {
	case "ch", "nh":
		if last != 'a' && last != 'ê' && last != 'i' && last != 'y' {
			return false
		}
	case "c", "ng":
		if last == 'i' || last == 'y' {
			return false
		}
	}
	stop := s.final == "p" || s.final == "t" || s.final == "c" || s.final == "ch"
	return !stop || s.tone == toneNone || s.tone == toneAcute || s.tone == toneDot
}

// stripTone removes tones but keeps hats, horns and breves: "người" → "ngươi".
func stripTone(s string) string {
	return strings.Map(func(r rune) rune {
		if v, ok := vowelOf[r]; ok {
			return v.base
		}
		return r
	}, s)
}
