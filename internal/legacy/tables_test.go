package legacy

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"unicode"
)

// decodeBytesWith converts legacy bytes with e, without detection.
func decodeBytesWith(b []byte, e Encoding) string {
	out, _ := decodeCells(nil, decodeCP1252(b), e)
	return string(out)
}

func TestLettersRoundTrip(t *testing.T) {
	letters := Letters()
	if len(letters) != 134 {
		t.Fatalf("Letters() has %d letters, want 134", len(letters))
	}
	for _, e := range Legacy {
		seen := map[string]rune{}
		for _, r := range letters {
			b, unmapped := Encode(string(r), e)
			if unmapped != 0 {
				t.Errorf("%v: %q cannot be encoded", e, r)
				continue
			}
			want := string(r)
			if e == TCVN3 && isUpperToned(r) {
				want = string(unicode.ToLower(r)) // VN3 has no code for it
			} else if prev, dup := seen[string(b)]; dup {
				t.Errorf("%v: %q and %q are both % X", e, prev, r, b)
			}
			seen[string(b)] = r
			if got := decodeBytesWith(b, e); got != want {
				t.Errorf("%v: %q → % X → %q, want %q", e, r, b, got, want)
			}
		}
	}
}

func isUpperToned(r rune) bool {
	v, ok := vowelOf(unicode.ToLower(r))
	return ok && unicode.IsUpper(r) && v.tone != toneNone
}

func TestKnownSpellings(t *testing.T) {
	tests := []struct {
		e       Encoding
		unicode string
		cp1252  string // the legacy bytes read as Windows-1252
	}{
		{TCVN3, "Cộng hòa Xã hội chủ nghĩa Việt Nam", "Céng hßa X· héi chñ nghÜa ViÖt Nam"},
		{TCVN3, "người đường Đà", "ng\u00adêi ®\u00adêng §µ"},
		{TCVN3, "Ăn Ưu Ông", "¡n ¦u ¤ng"},
		{VNI, "Cộng hòa Xã hội", "Coäng hoøa Xaõ hoäi"},
		{VNI, "trường của thị nghĩa chỉ đi Đà", "tröôøng cuûa thò nghóa chæ ñi Ñaø"},
		{VNI, "ĂN ẴNG ỴỸ", "AÊN AÜNG ÎYÕ"},
		{VISCII, "Việt Nam ĐẶNG", "Vi®t Nam ÐƒNG"},
	}
	for _, tt := range tests {
		b, _ := Encode(tt.unicode, tt.e)
		if got := CP1252(b); got != tt.cp1252 {
			t.Errorf("Encode(%q, %v) read as cp1252 = %q, want %q", tt.unicode, tt.e, got, tt.cp1252)
		}
		if got := decodeBytesWith(b, tt.e); got != tt.unicode {
			t.Errorf("decode(%v) = %q, want %q", tt.e, got, tt.unicode)
		}
	}
}

// TestTablesMatchIconv checks VISCII and the VN3 part of TCVN3 against the
// system's iconv (glibc ships both charts), when there is one.
func TestTablesMatchIconv(t *testing.T) {
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Skip("no iconv to compare with")
	}
	for _, c := range []struct {
		e    Encoding
		name string
	}{{VISCII, "VISCII"}, {TCVN3, "TCVN5712-1"}} {
		for b := 0xA1; b < 0x100; b++ {
			if c.e == TCVN3 && tcvn3DecodeOnly[byte(b)] != 0 {
				continue // combining marks: iconv composes them with the neighbour
			}
			cmd := exec.Command("iconv", "-f", c.name, "-t", "UTF-8")
			cmd.Stdin = bytes.NewReader([]byte{'x', byte(b)})
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("iconv %s byte %#x: %v", c.name, b, err)
			}
			want := strings.TrimPrefix(string(out), "x")
			if got := decodeBytesWith([]byte{byte(b)}, c.e); got != want {
				t.Errorf("%v byte %#x = %q, iconv says %q", c.e, b, got, want)
			}
		}
	}
}
