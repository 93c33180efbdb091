package legacy

// Legacy bytes that were read as Windows-1252 (or Latin-1) and saved as UTF-8
// come back as one rune per byte. byteOf undoes that reading; decodeCP1252
// does it, for raw files that are not UTF-8.

// cp1252High holds the characters of bytes 0x80–0x9F in Windows-1252. The
// five bytes it leaves undefined hold their C1 control, as Windows decoders
// and Latin-1 both produce.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// byteOf returns the byte a rune stands for when the text is legacy bytes
// read as Windows-1252 or Latin-1. Runes below 0x100 are their own byte (so
// C1 controls from a Latin-1 reading work too); the Windows-1252 punctuation
// maps back to 0x80–0x9F. Any other rune cannot come from a legacy byte.
func byteOf(r rune) (byte, bool) {
	if r < 0x100 {
		return byte(r), true
	}
	if b := cp1252Byte(r); b != 0 {
		return b, true
	}
	return 0, false
}

// cp1252Byte returns the byte 0x80–0x9F of a Windows-1252 punctuation rune, or 0.
func cp1252Byte(r rune) byte {
	switch r {
	case '€':
		return 0x80
	case '‚':
		return 0x82
	case 'ƒ':
		return 0x83
	case '„':
		return 0x84
	case '…':
		return 0x85
	case '†':
		return 0x86
	case '‡':
		return 0x87
	case 'ˆ':
		return 0x88
	case '‰':
		return 0x89
	case 'Š':
		return 0x8A
	case '‹':
		return 0x8B
	case 'Œ':
		return 0x8C
	case 'Ž':
		return 0x8E
	case '‘':
		return 0x91
	case '’':
		return 0x92
	case '“':
		return 0x93
	case '”':
		return 0x94
	case '•':
		return 0x95
	case '–':
		return 0x96
	case '—':
		return 0x97
	case '˜':
		return 0x98
	case '™':
		return 0x99
	case 'š':
		return 0x9A
	case '›':
		return 0x9B
	case 'œ':
		return 0x9C
	case 'ž':
		return 0x9E
	case 'Ÿ':
		return 0x9F
	}
	return 0
}

// cp1252Rune is the Windows-1252 reading of one byte.
func cp1252Rune(b byte) rune {
	if b >= 0x80 && b < 0xA0 {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

// decodeCP1252 reads bytes as Windows-1252: the text a browser or editor
// shows for a legacy file, and the cells detection works on.
func decodeCP1252(b []byte) []rune {
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = cp1252Rune(c)
	}
	return rs
}

// CP1252 returns bytes read as Windows-1252 (undefined bytes as their C1
// control): how legacy files turn into the mojibake strings DecodeField
// converts. Tests and the evaluation use it to make such strings.
func CP1252(b []byte) string { return string(decodeCP1252(b)) }
