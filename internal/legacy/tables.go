package legacy

import "unicode"

// The conversion tables. Each is written in the layout of its published
// chart, then turned into lookup arrays by init; tables_test.go checks every
// one of the 134 Vietnamese letters both ways.

// tcvn3Vowels[i][t] is the TCVN 5712:1993 VN3 byte of vowelForms[i][t] (lower
// case). VN3, the set of the ABC fonts, has no upper-case toned vowels: the
// standard leaves them to a separate capitals font (.VnTimeH) that draws the
// lower-case codes as capitals, so such a letter is written with its
// lower-case code.
var tcvn3Vowels = [len(vowelBases)][numTones]byte{
	{'a', 0xB5, 0xB8, 0xB6, 0xB7, 0xB9},  // a à á ả ã ạ
	{0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6}, // ă
	{0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB}, // â
	{'e', 0xCC, 0xD0, 0xCE, 0xCF, 0xD1},  // e
	{0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6}, // ê
	{'i', 0xD7, 0xDD, 0xD8, 0xDC, 0xDE},  // i
	{'o', 0xDF, 0xE3, 0xE1, 0xE2, 0xE4},  // o
	{0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9}, // ô
	{0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE}, // ơ
	{'u', 0xEF, 0xF3, 0xF1, 0xF2, 0xF4},  // u
	{0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9}, // ư (0xAD: not a soft hyphen here)
	{'y', 0xFA, 0xFD, 0xFB, 0xFC, 0xFE},  // y
}

// tcvn3Other are the rest of VN3: đ and the upper-case letters without tone.
var tcvn3Other = map[rune]byte{
	'đ': 0xAE, 'Đ': 0xA7,
	'Ă': 0xA1, 'Â': 0xA2, 'Ê': 0xA3, 'Ô': 0xA4, 'Ơ': 0xA5, 'Ư': 0xA6,
}

// tcvn3DecodeOnly are codes outside VN3 that decoding still accepts: the
// separate tone marks and the upper-case toned letters VN1 puts in the slots
// VN3 leaves empty. Files typed with VN1/VN2 fonts use them; encoding never
// writes them. (VN1's other capitals sit in C0 and 0x80–0x9F, where VN3 text
// has control codes and Windows punctuation, so those are not read.)
var tcvn3DecodeOnly = map[byte]rune{
	0xB0: '\u0300', 0xB1: '\u0309', 0xB2: '\u0303', 0xB3: '\u0301', 0xB4: '\u0323',
	0xAF: 'Ằ', 0xBA: 'Ẳ', 0xBF: 'Ẵ', 0xC0: 'Ắ', 0xC1: 'Ầ', 0xC2: 'Ẩ', 0xC3: 'Ẫ', 0xC4: 'Ấ',
	0xC5: 'Ề', 0xCD: 'Ể', 0xD9: 'Ễ', 0xDA: 'Ế', 0xDB: 'Ồ', 0xE0: 'Ổ', 0xF0: 'Ỗ', 0xFF: 'Ố',
}

// visciiHigh is RFC 1456, bytes 0x80–0xFF in order.
const visciiHigh = "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ" + // 0x80
	"ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ" + // 0x90
	"Õắằặấầẩậẽẹếềểễệố" + // 0xA0
	"ồổỗỠƠộờởịỰỨỪỬơớƯ" + // 0xB0
	"ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ" + // 0xC0
	"ĐứÒÓÔạỷừửÙÚỹỵÝỡư" + // 0xD0
	"àáâãảăữẫèéêẻìíĩỉ" + // 0xE0
	"đựòóôõỏọụùúũủýợỮ" // 0xF0

// visciiC0 are the six capitals VISCII puts on C0 control codes.
var visciiC0 = map[byte]rune{0x02: 'Ẳ', 0x05: 'Ẵ', 0x06: 'Ẫ', 0x14: 'Ỷ', 0x19: 'Ỹ', 0x1E: 'Ỵ'}

// isVISCIIControl reports whether b is one of VISCII's letters on a C0 code.
func isVISCIIControl(b rune) bool {
	return b == 0x02 || b == 0x05 || b == 0x06 || b == 0x14 || b == 0x19 || b == 0x1E
}

// VNI-Windows writes a vowel as its ASCII base letter followed by one mark
// byte; ơ, ư, đ, the toned i and ỵ are single bytes. Marks have a lower-case
// and an upper-case byte (index 0 and 1), for the two glyph heights.
var (
	vniTone   = [numTones][2]byte{{}, {0xF8, 0xD8}, {0xF9, 0xD9}, {0xFB, 0xDB}, {0xF5, 0xD5}, {0xEF, 0xCF}}           // ø ù û õ ï
	vniHat    = [numTones][2]byte{{0xE2, 0xC2}, {0xE0, 0xC0}, {0xE1, 0xC1}, {0xE5, 0xC5}, {0xE3, 0xC3}, {0xE4, 0xC4}} // â à á å ã ä
	vniBreve  = [numTones][2]byte{{0xEA, 0xCA}, {0xE8, 0xC8}, {0xE9, 0xC9}, {0xFA, 0xDA}, {0xFC, 0xDC}, {0xEB, 0xCB}} // ê è é ú ü ë
	vniToneI  = [numTones][2]byte{{'i', 'I'}, {0xEC, 0xCC}, {0xED, 0xCD}, {0xE6, 0xC6}, {0xF3, 0xD3}, {0xF2, 0xD2}}   // i ì í æ ó ò
	vniHornO  = [2]byte{0xF4, 0xD4}                                                                                   // ô = ơ
	vniHornU  = [2]byte{0xF6, 0xD6}                                                                                   // ö = ư
	vniStroke = [2]byte{0xF1, 0xD1}                                                                                   // ñ = đ
	vniDotY   = [2]byte{0xEE, 0xCE}                                                                                   // î = ỵ
)

// vniSpell returns the VNI bytes of a lower-case vowel form (base, tone), in
// case c (0 lower, 1 upper).
func vniSpell(base rune, tone uint8, c int) []byte {
	ascii := func(r rune) byte {
		if c == 1 {
			return byte(unicode.ToUpper(r))
		}
		return byte(r)
	}
	withTone := func(b byte) []byte {
		if tone == toneNone {
			return []byte{b}
		}
		return []byte{b, vniTone[tone][c]}
	}
	switch base {
	case 'a', 'e', 'o', 'u':
		return withTone(ascii(base))
	case 'ă':
		return []byte{ascii('a'), vniBreve[tone][c]}
	case 'â', 'ê', 'ô':
		return []byte{ascii(map[rune]rune{'â': 'a', 'ê': 'e', 'ô': 'o'}[base]), vniHat[tone][c]}
	case 'ơ':
		return withTone(vniHornO[c])
	case 'ư':
		return withTone(vniHornU[c])
	case 'i':
		return []byte{vniToneI[tone][c]}
	case 'y':
		if tone == toneDot {
			return []byte{vniDotY[c]}
		}
		return withTone(ascii('y'))
	}
	return nil
}
