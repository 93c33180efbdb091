package legacy

import (
	"strings"
	"unicode"
)

// restoreCase puts back capitals TCVN3 could not write. VN3 has no
// upper-case toned vowels, so "CỘNG" was written "CéNG" (in a capitals font
// or with the lower-case code) and converts to "CộNG". Three rules, in this
// order, each certain enough to apply silently:
//  1. a word whose other letters are capitals, at least one of them after the
//     first letter ("CộNG", "ĐộC"), becomes all capitals;
//  2. a word that is only capitals and toned vowels but too short for rule 1
//     ("Hà", "ở") becomes all capitals next to an all-capitals word with a
//     marked vowel, so no acronym, unless its other neighbour is in lower
//     case ("HÀ NỘI", "TỚI Ở ĐÂU", "Anh VÕ TẤN TÀI"; but "ở UBND", "Sở
//     GD&ĐT" and "lúc ở TẤT CẢ" stay);
//  3. a toned vowel that starts a sentence (the text, or after . ! ? or a
//     line break, not after an ellipsis or an initial) becomes a capital
//     ("ấn Độ" → "Ấn Độ").
//
// All-capitals text typed in a .VnTimeH font with lower-case codes throughout
// cannot be told from lower-case text and stays lower case.
func restoreCase(out []rune, words []span) {
	shape := make([]caseShape, len(words))
	for i, w := range words {
		shape[i] = shapeOf(out[w.start:w.end])
		if shape[i] == capsWithLowerTones {
			upperTones(out[w.start:w.end])
			shape[i] = allCaps
		}
	}
	for i, w := range words {
		if shape[i] != ambiguousCaps {
			continue
		}
		capsWord, lowerWord := false, false
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(words) {
				continue
			}
			n := out[words[j].start:words[j].end]
			capsWord = capsWord || shape[j] == allCaps && hasMarkedVowel(n)
			lowerWord = lowerWord || isLowerWord(n)
		}
		if capsWord && !lowerWord {
			upperTones(out[w.start:w.end])
		}
	}
	for i, w := range words {
		if sentenceStarts(out[:w.start], w.start, i == 0) {
			capitalizeFirstTone(out[w.start:w.end])
		}
	}
}

type caseShape uint8

const (
	otherShape         caseShape = iota
	allCaps                      // two or more letters, all capitals
	capsWithLowerTones           // capitals, and toned vowels in lower case, a capital after the first letter
	ambiguousCaps                // lower-case toned vowels and at most a first capital: "Hà", "ở"
)

func shapeOf(w []rune) caseShape {
	upper, lower, lowerTones, laterUpper := 0, 0, 0, false
	w = trimToLetters(w)
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			laterUpper = laterUpper || upper+lower > 0
			upper++
		case unicode.IsLower(r):
			lower++
			if v, ok := vowelOf(r); ok && v.tone != toneNone {
				lowerTones++
			}
		}
	}
	switch {
	case lower == 0 && upper >= 2:
		return allCaps
	case lower > 0 && lower == lowerTones && laterUpper:
		return capsWithLowerTones
	case lower > 0 && lower == lowerTones && upper <= 1 && (upper == 0 || unicode.IsUpper(w[0])):
		return ambiguousCaps
	}
	return otherShape
}

// isLowerWord reports whether w's letters are all small ones.
func isLowerWord(w []rune) bool {
	for _, r := range w {
		if unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// hasMarkedVowel reports whether w has a vowel with a tone or a hat, horn or
// breve: a Vietnamese word, where "ĐH" or "TP" may be an acronym.
func hasMarkedVowel(w []rune) bool {
	for _, r := range w {
		if v, ok := vowelOf(r); ok && (v.tone != toneNone || v.base >= 0x80) {
			return true
		}
	}
	return false
}

func upperTones(w []rune) {
	for i, r := range w {
		if v, ok := vowelOf(r); ok && v.tone != toneNone {
			w[i] = unicode.ToUpper(r)
		}
	}
}

// sentenceStarts reports whether the text before a word ends a sentence:
// . ! ? or a line break, then spaces, quotes or dashes. An ellipsis and the
// period of an initial ("ông L.T.H. ở") end nothing.
func sentenceStarts(out []rune, start int, first bool) bool {
	for i := start - 1; i >= 0; i-- {
		switch r := out[i]; {
		case r == '!' || r == '?' || r == '\n':
			return true
		case r == '.':
			return !(i > 0 && out[i-1] == '.') && !afterInitial(out, i)
		case unicode.IsSpace(r) || strings.ContainsRune("\"'“”‘’«»-–—", r):
			continue
		default:
			return false
		}
	}
	return first
}

// afterInitial reports whether the period at out[i] follows a lone capital.
func afterInitial(out []rune, i int) bool {
	return i > 0 && unicode.IsUpper(out[i-1]) && (i == 1 || !unicode.IsLetter(out[i-2]))
}

// capitalizeFirstTone upper-cases the first letter of a word when it is a
// lower-case toned vowel and the rest of the word is lower case.
func capitalizeFirstTone(w []rune) {
	i := 0
	for i < len(w) && !unicode.IsLetter(w[i]) {
		i++
	}
	if i == len(w) {
		return
	}
	if v, ok := vowelOf(w[i]); !ok || v.tone == toneNone {
		return
	}
	for _, r := range w[i+1:] {
		if unicode.IsUpper(r) {
			return
		}
	}
	w[i] = unicode.ToUpper(w[i])
}
