package legacy

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
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
	if !utf8.ValidString(s) {
		return DecodeBytes([]byte(s), force) // raw legacy bytes in a string
	}
	switch force {
	case Unicode:
		return Result{Text: s, Encoding: Unicode, Confidence: 1}
	case TCVN3, VNI, VISCII:
		return convertWith([]rune(nfcIfMarks(s)), nil, force, nil)
	}
	if looksUnicode(s) {
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

// looksUnicode is the quick scan every field goes through: true when runes
// no legacy byte can produce (ạ, ư, đ…) are there and outnumber by far the
// runes that legacy bytes read as Windows-1252 produce and Vietnamese does
// not use (the Latin-1 Vietnamese letters à, é, ô… are both, so they do not
// count); or when the text is plain ASCII. It does not allocate.
func looksUnicode(s string) bool {
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
	return unicodeOnly >= unicodeDominance*legacyish && (unicodeOnly > 0 || latin1Letters == 0)
}

// latin1Vietnamese marks, for runes 0x80–0xFF, the Vietnamese letters.
var latin1Vietnamese = func() (t [128]bool) {
	for _, r := range "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý" {
		t[r-0x80] = true
	}
	return t
}()

// unicode.IsLetter on a rune that is not a byte-able legacy cell
func isTokenRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || isVISCIIControl(r)
	case r <= 0xFF:
		return r != 0xA0
	case cp1252Byte(r) != 0:
		return true
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// token is a word of the cells: [start, end), and whether it holds a rune a
// legacy byte above ASCII stands for (high) or a rune no legacy byte can
// produce (unicode): a conversion changes only tokens that are high and not
// unicode.
type token struct {
	start, end    int
	high, unicode bool
}

func (t token) changes() bool { return t.high && !t.unicode }

func tokenize(cells []rune) []token {
	var toks []token
	cur := token{start: -1}
	for i, r := range cells {
		if !isTokenRune(r) {
			if cur.start >= 0 {
				cur.end = i
				toks = append(toks, cur)
				cur = token{start: -1}
			}
			continue
		}
		if cur.start < 0 {
			cur.start = i
		}
		if _, ok := byteOf(r); !ok {
			cur.unicode = true
		} else if r >= 0x80 || isVISCIIControl(r) {
			cur.high = true
		}
	}
	if cur.start >= 0 {
		cur.end = len(cells)
		toks = append(toks, cur)
	}
	return toks
}

// trimToLetters drops what is not a letter from both ends of a word.
func trimToLetters(w []rune) []rune {
	for len(w) > 0 && !unicode.IsLetter(w[0]) {
		w = w[1:]
	}
	for len(w) > 0 && !unicode.IsLetter(w[len(w)-1]) {
		w = w[:len(w)-1]
	}
	return w
}

// tally counts, over the words an encoding would change, how many are
// Vietnamese syllables before and after the conversion.
type tally struct {
	enc                  Encoding
	words, before, after int
	gained, lost         int
	common               int // words that are common syllables after the conversion
}

func (t tally) net() int { return t.gained - t.lost }

// rewrites counts Vietnamese words that the table turns into other
// Vietnamese words: no evidence either way.
func (t tally) rewrites() int { return t.after - t.gained }

// score tallies, for each legacy encoding, the words it would change. Words
// with no letter as they stand (a lone "–" or "”", which VISCII would read as
// Ờ and Ợ) and words a table leaves as they are do not count.
func score(cells []rune, toks []token) (tallies [3]tally) {
	var buf []rune
	for i, e := range Legacy {
		tallies[i].enc = e
	}
	for _, tok := range toks {
		if !tok.changes() {
			continue
		}
		w := cells[tok.start:tok.end]
		orig := trimToLetters(w)
		if len(orig) == 0 {
			continue
		}
		origKey, was := syllable(orig)
		wasCommon := was && isCommon(origKey)
		for i, e := range Legacy {
			t := &tallies[i]
			var f fit
			buf, f = decodeCells(buf[:0], w, e)
			if f == fitted && slices.Equal(buf, w) {
				if wasCommon {
					t.common++ // the table keeps a common word as it is
				}
				continue // otherwise a word the table leaves alone says nothing
			}
			conv := trimToLetters(composeMarks(buf))
			if e == TCVN3 && shapeOf(conv) == capsWithLowerTones {
				conv = slices.Clone(conv)
				upperTones(conv) // "CộNG": TCVN3 has no capital ộ
			}
			key, is := syllable(conv)
			is = is && f == fitted
			t.words++
			if was {
				t.before++
			}
			if is {
				t.after++
				if isCommon(key) {
					t.common++
				}
			}
			switch {
			case is && !was:
				t.gained++
			case was && !is:
				t.lost++
			}
		}
	}
	return tallies
}

// composeMarks puts a word that holds separate tone marks (TCVN3 0xB0–0xB4)
// in NFC; other words are returned as they are.
func composeMarks(w []rune) []rune {
	for _, r := range w {
		if r >= 0x300 && r < 0x370 {
			return []rune(norm.NFC.String(string(w)))
		}
	}
	return w
}

// judge decides between Unicode and the legacy encodings for cells that the
// quick scan did not settle, and converts when one wins clearly.
func judge(cells []rune) Result {
	toks := tokenize(cells)
	tallies := score(cells, toks)
	// Most words made Vietnamese first; between equals, the table that
	// gives more common words ("Cà Mau", not "Cộ Mau"). A tie on both is
	// ambiguous and kept, not guessed; the last two keys only make the
	// reported candidate stable: fewer Vietnamese words rewritten into
	// other ones, more words Vietnamese.
	slices.SortStableFunc(tallies[:], func(a, b tally) int {
		if a.net() != b.net() {
			return b.net() - a.net()
		}
		if a.common != b.common {
			return b.common - a.common
		}
		if a.rewrites() != b.rewrites() {
			return a.rewrites() - b.rewrites()
		}
		return b.after - a.after
	})
	best, second := tallies[0], tallies[1]
	if best.words == 0 {
		return Result{Encoding: Unicode, Confidence: 1}
	}
	asIs := float64(best.before) / float64(best.words)
	conf := float64(best.after) / float64(best.words)
	// Words already in Unicode (bỏ, tiền) weigh against a conversion: a
	// legacy text has none, or a few in a credit line pasted into it.
	unicodeWords := 0
	for _, tok := range toks {
		if tok.unicode {
			unicodeWords++
		}
	}
	if best.net() > 0 && best.gained > unicodeWords && conf >= minConfidence {
		if second.net() == best.net() && second.common == best.common {
			r := Result{Encoding: best.enc, Confidence: asIs, Words: best.words,
				Note: fmt.Sprintf("looks legacy but %v and %v read it equally well (%d of %d words Vietnamese)",
					best.enc, second.enc, best.after, best.words)}
			for _, t := range tallies {
				if t.net() == best.net() && t.common == best.common {
					r.tied = append(r.tied, t.enc)
				}
			}
			return r
		}
		return convertWith(cells, toks, best.enc, &best)
	}
	r := Result{Encoding: Unicode, Confidence: asIs, Words: best.words}
	if odd := best.words - best.before; asIs < suspicious && odd >= 3 && odd > unicodeWords {
		r.Encoding = best.enc
		r.Note = fmt.Sprintf("looks legacy: %d of %d words with legacy-range characters are not Vietnamese; best table %v makes %d of them Vietnamese",
			best.words-best.before, best.words, best.enc, best.after)
	}
	return r
}
