package legacy

import "unicode/utf8"

// looksUnicode is the quick scan every field goes through: true when runes
// no legacy byte can produce (ạ, ư, đ…) are there and outnumber by far the
// runes that legacy bytes read as Windows-1252 produce and Vietnamese does
// not use (the Latin-1 Vietnamese letters à, é, ô… are both, so they do not
// count); or when the text is plain ASCII. It does not allocate.
func looksUnicode(s string) bool {
	unicode, _ := scanUnicode(s)
	return unicode
}

// scanUnicode is looksUnicode and, in the same pass, whether s is valid
// UTF-8 (a bad byte reads as U+FFFD, which counts as Unicode).
func scanUnicode(s string) (unicode, valid bool) {
	valid = true
	legacyish, unicodeOnly, latin1Letters := 0, 0, 0
	for i := 0; i < len(s); {
		if c := s[i]; c < 0x80 {
			if c < 0x20 && isVISCIIControl(rune(c)) {
				legacyish++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 {
			valid = false // utf8.RuneError for a byte that starts no rune
		}
		i += size
		switch {
		case r <= 0xFF:
			if latin1Vietnamese[r-0x80] {
				latin1Letters++
			} else if r != 0xA0 {
				legacyish++
			}
		case r > 0x2DC && r < 0x2013 || r > 0x2122:
			unicodeOnly++ // ạ…ỹ and everything else no legacy byte reads as
		case cp1252Byte(r) != 0:
			legacyish++
		default:
			unicodeOnly++ // ă, đ, ĩ, ũ, ơ, ư
		}
	}
	// Vietnamese Unicode uses ạ, ư, đ… all the time; a text whose accented
	// letters are all Latin-1 ones (VNI's "tuùi", TCVN3's "Céng") gets a look.
	unicode = unicodeOnly >= unicodeDominance*legacyish && (unicodeOnly > 0 || latin1Letters == 0)
	return unicode, valid
}

// latin1Vietnamese marks, for runes 0x80–0xFF, the Vietnamese letters.
var latin1Vietnamese = func() (t [128]bool) {
	for _, r := range "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý" {
		t[r-0x80] = true
	}
	return t
}()
