package legacy

import "unicode"

// Tones, in the order every table of this package lists them.
const (
	toneNone  = iota // ngang
	toneGrave        // huyền
	toneAcute        // sắc
	toneHook         // hỏi
	toneTilde        // ngã
	toneDot          // nặng
	numTones
)

// vowelBases are the twelve Vietnamese vowel letters; vowelForms[i][t] is
// vowelBases[i] with tone t, precomposed (NFC), lower case.
var vowelBases = [...]rune{'a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'}

var vowelForms = [len(vowelBases)][numTones]rune{
	{'a', 'à', 'á', 'ả', 'ã', 'ạ'},
	{'ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'},
	{'â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'},
	{'e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'},
	{'ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'},
	{'i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'},
	{'o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'},
	{'ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'},
	{'ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'},
	{'u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'},
	{'ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'},
	{'y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'},
}

// vowelInfo says, for a vowel letter of either case, its base (lower case)
// and its tone.
type vowelInfo struct {
	base rune
	tone uint8
	code uint8 // 1–12: the base's place in vowelBases, plus one
}

// vowelLow covers runes below 0x1B1 (ASCII, Latin-1, ă, ĩ, ũ, ơ, ư…) and
// vowelHigh U+1EA0–U+1EF9 (ạ…ỹ): array lookups, as detection runs them on
// every letter it judges.
var vowelLow, vowelHigh = func() (lo [0x1B1]vowelInfo, hi [0x1EFA - 0x1EA0]vowelInfo) {
	for i, forms := range vowelForms {
		for t, r := range forms {
			for _, c := range []rune{r, unicode.ToUpper(r)} {
				v := vowelInfo{vowelBases[i], uint8(t), uint8(i + 1)}
				if c < 0x1B1 {
					lo[c] = v
				} else {
					hi[c-0x1EA0] = v
				}
			}
		}
	}
	return lo, hi
}()

// vowelOf returns the base and tone of a Vietnamese vowel letter, either case.
func vowelOf(r rune) (vowelInfo, bool) {
	var v vowelInfo
	switch {
	case r < 0x1B1:
		v = vowelLow[r]
	case r >= 0x1EA0 && r < 0x1EFA:
		v = vowelHigh[r-0x1EA0]
	}
	return v, v.base != 0
}

// Letters returns every Vietnamese letter that is not plain ASCII: the 67
// lower-case ones (66 vowel forms and đ) and their 67 capitals. Tests and
// the evaluation walk it; the tables must cover all 134.
func Letters() []rune {
	var out []rune
	for _, forms := range vowelForms {
		for _, r := range forms {
			if r >= 0x80 {
				out = append(out, r, unicode.ToUpper(r))
			}
		}
	}
	return append(out, 'đ', 'Đ')
}
