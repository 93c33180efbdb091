package legacy

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Result is what DecodeField and DecodeBytes make of one text.
//
// Converted: Text is the Unicode conversion from Encoding. Kept with a Note
// and a legacy Encoding: the text looked legacy but no table converted it
// well (or two converted it equally well), so Text is the input as it was and
// Encoding the best candidate. Kept with a Note and Encoding Unicode: bytes
// that were not UTF-8 and not legacy either, repaired as the Note says.
// Neither: plain Unicode, nothing to report.
type Result struct {
	Text     string
	Encoding Encoding
	// Confidence is the share of the words carrying legacy-range characters
	// that are Vietnamese syllables in Text (after conversion when
	// Converted); 1 when no word looked legacy.
	Confidence float64
	Converted  bool
	Note       string
	// Words is how many words the decision rested on: those with a character
	// a legacy byte could stand for. 0 when the quick scan settled it.
	Words int

	tied []Encoding // kept because these read it equally well
}

// Report says whether the result belongs in the ingest report: a conversion,
// a suspicious text kept as it was, or a repair of bytes that were not UTF-8.
func (r Result) Report() bool { return r.Converted || r.Note != "" }

// Suspicious says whether the text looked legacy but was kept as it was.
func (r Result) Suspicious() bool {
	return !r.Converted && r.Note != "" && r.Encoding != Unicode && r.Encoding != Auto
}

func (r Result) String() string {
	switch {
	case r.Converted:
		s := fmt.Sprintf("converted from %v (confidence %.2f, %d words)", r.Encoding, r.Confidence, r.Words)
		if r.Note != "" {
			s += ": " + r.Note
		}
		return s
	case r.Note != "":
		return "kept: " + r.Note
	}
	return "unicode"
}

// Thresholds of the decision; corpus_test.go measures them against 42,562
// real articles (no conversion allowed) and their legacy encodings.
const (
	// unicodeDominance: a text with this many times more runes no legacy byte
	// can produce (ệ, ư, combining marks…) than legacy-looking runes is
	// Unicode without looking at its words.
	unicodeDominance = 3
	// minConfidence: the share of changed words that must be Vietnamese
	// syllables after a conversion for it to be applied.
	minConfidence = 0.6
	// suspicious: a text whose changed words are Vietnamese less often than
	// this, as they are, looks legacy and is reported when kept.
	suspicious = 0.5
)

// DecodeField converts one text field (a JSON string, an HTML text node) to
// Unicode. force is Auto to detect, Unicode to leave the text alone, or a
// legacy encoding to convert with it whatever detection says.
func DecodeField(s string, force Encoding) Result {
	unicode, valid := false, true
	if force == Auto {
		unicode, valid = scanUnicode(s) // the quick scan checks the UTF-8 too
	} else {
		valid = utf8.ValidString(s)
	}
	if !valid {
		return DecodeBytes([]byte(s), force) // raw legacy bytes in a string
	}
	switch force {
	case Unicode:
		return Result{Text: s, Encoding: Unicode, Confidence: 1}
	case TCVN3, VNI, VISCII:
		return convertWith([]rune(nfcIfMarks(s)), nil, force, nil)
	}
	if unicode {
		return Result{Text: s, Encoding: Unicode, Confidence: 1}
	}
	r := judge([]rune(nfcIfMarks(s)))
	if !r.Converted {
		r.Text = s
	}
	return r
}

// DecodeBytes converts a whole file (a text or HTML page) to Unicode. Valid
// UTF-8 is judged as DecodeField judges a string. Other bytes are read as a
// legacy encoding when one converts them well; otherwise they are kept as
// UTF-8 with U+FFFD for the bad bytes, or, when hardly any of them is valid
// UTF-8, as Windows-1252, and the Note says so.
func DecodeBytes(b []byte, force Encoding) Result {
	if utf8.Valid(b) {
		return DecodeField(string(b), force)
	}
	cells := decodeCP1252(b)
	switch force {
	case TCVN3, VNI, VISCII:
		return convertWith(cells, nil, force, nil)
	case Unicode:
		return keepBytes(b, Result{Encoding: Unicode, Confidence: 1})
	}
	r := judge(cells)
	if r.Converted {
		return r
	}
	return keepBytes(b, r)
}

// DecodeFields converts the text fields of one record. Each is judged on
// its own, as DecodeField does; then a short field that two tables read
// equally well ("m¾t": TCVN3 mắt, VISCII mớt) takes the encoding the
// record's other fields were converted from, when they agree on one.
func DecodeFields(fields []string, force Encoding) []Result {
	out := make([]Result, len(fields))
	found, agree := Auto, true
	for i, s := range fields {
		out[i] = DecodeField(s, force)
		if out[i].Converted {
			if found == Auto {
				found = out[i].Encoding
			}
			agree = agree && out[i].Encoding == found
		}
	}
	if found == Auto || !agree {
		return out
	}
	for i, r := range out {
		if slices.Contains(r.tied, found) {
			c := convertWith(cellsOf(fields[i]), nil, found, nil)
			c.Note = fmt.Sprintf("%s; %v, as the record's other fields", r.Note, found)
			out[i] = c
		}
	}
	return out
}

// cellsOf returns the cells of a field: its runes, or for a string that is
// not UTF-8 (raw legacy bytes) its bytes read as Windows-1252.
func cellsOf(s string) []rune {
	if !utf8.ValidString(s) {
		return decodeCP1252([]byte(s))
	}
	return []rune(nfcIfMarks(s))
}

// Detect reports the encoding of a file's bytes and the confidence of it.
func Detect(b []byte) (Encoding, float64) {
	r := DecodeBytes(b, Auto)
	if !r.Converted {
		return Unicode, r.Confidence
	}
	return r.Encoding, r.Confidence
}

// DetectString reports the encoding of a text field and the confidence of it.
func DetectString(s string) (Encoding, float64) {
	if looksUnicode(s) {
		return Unicode, 1
	}
	r := judge([]rune(nfcIfMarks(s)))
	if !r.Converted {
		return Unicode, r.Confidence
	}
	return r.Encoding, r.Confidence
}

// keepBytes finishes a Result for bytes that are neither UTF-8 nor
// convertible: mostly-UTF-8 bytes keep their text with U+FFFD for the bad
// bytes; otherwise the Windows-1252 reading keeps every byte visible.
func keepBytes(b []byte, r Result) Result {
	bad, multi := 0, 0
	for i := 0; i < len(b); {
		c, size := utf8.DecodeRune(b[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			bad++
		case size > 1:
			multi++
		}
		i += size
	}
	why := ""
	if r.Note != "" {
		why = "; " + r.Note
	}
	r.Converted = false
	if multi >= bad {
		r.Text = strings.ToValidUTF8(string(b), "\uFFFD")
		r.Note = fmt.Sprintf("not valid UTF-8: %d bad bytes replaced with U+FFFD%s", bad, why)
	} else {
		r.Text = CP1252(b)
		r.Note = fmt.Sprintf("not valid UTF-8 and no legacy table fits: read as Windows-1252%s", why)
	}
	return r
}

func nfcIfMarks(s string) string {
	for _, r := range s {
		if r >= 0x300 && r < 0x370 {
			return norm.NFC.String(s)
		}
	}
	return s
}
