package legacy

import (
	"testing"
	"unicode/utf8"
)

func fuzzSeeds() []string {
	seeds := []string{"", "Céng hßa X· héi chñ nghÜa ViÖt Nam", "Coäng hoøa Xaõ hoäi", "Vi®t Nam ÐƒNG",
		"ng\u00adêi", "\x02\x05\x06\x14\x19\x1e", "\xff\xfe\x80\x81", "“–”", "aùaø\u0301"}
	for _, s := range samples[:2] {
		for _, e := range Legacy {
			b, _ := Encode(s.title, e)
			seeds = append(seeds, string(b), CP1252(b))
		}
	}
	return seeds
}

func checkResult(t *testing.T, r Result) {
	t.Helper()
	if !utf8.ValidString(r.Text) {
		t.Fatalf("invalid UTF-8 out: %q", r.Text)
	}
	if r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("confidence %v", r.Confidence)
	}
	if r.Converted && (r.Encoding == Unicode || r.Encoding == Auto) {
		t.Fatalf("converted from %v", r.Encoding)
	}
}

// FuzzDecodeField: any string, any forced encoding: no panic, valid UTF-8
// out, and a string left unconverted comes back as it was.
func FuzzDecodeField(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint8(Auto))
	}
	f.Fuzz(func(t *testing.T, s string, force uint8) {
		r := DecodeField(s, Encoding(force%5))
		checkResult(t, r)
		if !r.Converted && utf8.ValidString(s) && r.Text != s {
			t.Fatalf("kept text changed: %q → %q", s, r.Text)
		}
	})
}

// FuzzDecodeBytes: any bytes, any forced encoding: no panic, valid UTF-8 out.
func FuzzDecodeBytes(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s), uint8(Auto))
	}
	f.Fuzz(func(t *testing.T, b []byte, force uint8) {
		checkResult(t, DecodeBytes(b, Encoding(force%5)))
	})
}
