package restore

import "kho/internal/vntext"

// Readers who type with Telex or VNI but whose keyboard did not convert
// leave the keystrokes in the query: "Vieejt" and "Vie6t" for "Việt",
// "dduwowngf" and "d9u7o7ng2" for "đường". decodeKeys turns such a token
// back into the syllable, and refuses anything that does not come out as
// a well-formed Vietnamese syllable, which keeps "coffee" and "free" as
// they are.

// Marks a key can put on a vowel.
type mark int

const (
	hat    mark = iota // â ê ô
	horn               // ơ ư (and ươ)
	breve              // ă
	telexW             // Telex w: horn on o and u, breve on a
)

var (
	telexTones = map[byte]int{'s': toneAcute, 'f': toneGrave, 'r': toneHook, 'x': toneTilde, 'j': toneDot, 'z': toneNone}
	vniTones   = map[byte]int{'1': toneAcute, '2': toneGrave, '3': toneHook, '4': toneTilde, '5': toneDot, '0': toneNone}
	vniMarks   = map[byte]mark{'6': hat, '7': horn, '8': breve}
)

// keyState is a syllable being typed: letters so far, the tone key seen and
// how many keys were read as marks rather than letters.
type keyState struct {
	out      []rune
	tone     int
	toneKeys int
	used     int
}

// decodeKeys reads tok (ASCII letters and digits, any case) as Telex, or as
// VNI when it has digits, and returns the Vietnamese syllable it spells.
// ok is false when no key was used as a mark, a key was repeated to undo it,
// or the result is not a valid syllable.
func decodeKeys(tok string) (string, bool) {
	if tok == "" || len(tok) > 24 {
		return "", false
	}
	digits := false
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c < 'A' || c > 'z' || (c > 'Z' && c < 'a'):
			return "", false
		}
	}
	var st keyState
	lower := asciiLower(tok)
	ok := false
	if digits {
		ok = st.typeVNI(lower)
	} else {
		ok = st.typeTelex(lower)
	}
	if !ok || st.used == 0 || st.toneKeys > 1 {
		return "", false
	}
	syl, ok := parseSyllable(string(st.out))
	if !ok {
		return "", false
	}
	syl.tone = st.tone
	if !syl.valid() {
		return "", false
	}
	spelled := vntext.Normalize(syl.String()) // the placement the model's forms have
	if vntext.Fold(spelled) == spelled {
		return "", false // only z keys: nothing to put back
	}
	return spelled, true
}

func (st *keyState) typeTelex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		tone, isTone := telexTones[c]
		switch {
		case isTone && st.hasVowel():
			st.setTone(tone)
		case c == 'w':
			if !st.addMark(telexW) {
				return false
			}
		case c == 'd' && i == 1 && s[0] == 'd':
			st.out[0] = 'đ'
			st.used++
		case (c == 'a' || c == 'e' || c == 'o') && len(st.out) > 0 && st.out[len(st.out)-1] == rune(c):
			st.out[len(st.out)-1] = toned[hatted(rune(c))][0]
			st.used++
		case (c == 'a' || c == 'e' || c == 'o') && len(st.out) > 0 && st.out[len(st.out)-1] == hatted(rune(c)):
			return false // a third a/e/o undoes the hat
		default:
			st.out = append(st.out, rune(c))
		}
	}
	return true
}

func (st *keyState) typeVNI(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		tone, isTone := vniTones[c]
		m, isMark := vniMarks[c]
		switch {
		case isTone:
			if !st.hasVowel() {
				return false
			}
			st.setTone(tone)
		case isMark:
			if !st.addMark(m) {
				return false
			}
		case c == '9':
			if len(st.out) == 0 || st.out[0] != 'd' {
				return false
			}
			st.out[0] = 'đ'
			st.used++
		default:
			st.out = append(st.out, rune(c))
		}
	}
	return true
}

func (st *keyState) setTone(tone int) {
	st.tone = tone
	st.toneKeys++
	st.used++
}

func (st *keyState) hasVowel() bool {
	for _, r := range st.out {
		if _, ok := vowelOf[r]; ok {
			return true
		}
	}
	return false
}

// addMark puts m on the vowel right before the key, or else on the nearest
// vowel that can take it (so "nguoiw" and "viet6" work); in "uo" a horn
// goes on both letters. A Telex w with no vowel to mark is itself the vowel
// ư ("nhwng" → "nhưng").
func (st *keyState) addMark(m mark) bool {
	at := st.markTarget(m)
	if at < 0 {
		if m == telexW && !st.hasVowel() {
			st.out = append(st.out, 'ư')
			st.used++
			return true
		}
		return false
	}
	st.out[at] = applyMark(st.out[at], m)
	if st.out[at] == 'ơ' && at > 0 && st.out[at-1] == 'u' && (at < 2 || st.out[at-2] != 'q') {
		st.out[at-1] = 'ư'
	}
	st.used++
	return true
}

func (st *keyState) markTarget(m mark) int {
	n := len(st.out)
	if m == horn || m == telexW {
		for i := 0; i+1 < n; i++ {
			if (st.out[i] == 'u' || st.out[i] == 'ư') && st.out[i+1] == 'o' && (i == 0 || st.out[i-1] != 'q') {
				return i + 1
			}
		}
	}
	for i := n - 1; i >= 0; i-- {
		if canTake(st.out[i], m) {
			return i
		}
	}
	return -1
}

func canTake(r rune, m mark) bool {
	switch m {
	case hat:
		return r == 'a' || r == 'e' || r == 'o'
	case horn:
		return r == 'o' || r == 'u'
	case breve:
		return r == 'a'
	}
	return r == 'a' || r == 'o' || r == 'u'
}

func applyMark(r rune, m mark) rune {
	switch {
	case m == hat:
		return hatted(r)
	case r == 'a':
		return 'ă'
	case r == 'o':
		return 'ơ'
	}
	return 'ư'
}

func hatted(r rune) rune {
	switch r {
	case 'a':
		return 'â'
	case 'e':
		return 'ê'
	}
	return 'ô'
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
