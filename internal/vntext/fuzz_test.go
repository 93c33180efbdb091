package vntext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The seed corpora are in testdata/fuzz/<target>/: inputs written for this
// package (Vietnamese in NFC and NFD, old tone placement, misplaced and stray
// marks, invisible characters, invalid UTF-8, other scripts, characters that
// NFC splits or composes), plus inputs the fuzzer once failed on.

func FuzzNormalize(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if !norm.NFC.IsNormalString(n) {
			t.Errorf("Normalize(%q) = %q: not NFC", s, n)
		}
		if nn := Normalize(n); nn != n {
			t.Errorf("Normalize not idempotent on %q: %q then %q", s, n, nn)
		}
		if r := Repair(s); Repair(r) != r {
			t.Errorf("Repair not idempotent on %q: %q then %q", s, r, Repair(r))
		}
		if fn, f := Fold(n), Fold(s); fn != f {
			t.Errorf("Fold(Normalize(%q)) = %q, Fold = %q", s, fn, f)
		}
		if Fold(n) != Fold(strings.ToLower(n)) && utf8.ValidString(s) {
			// Fold lower-cases, so the case of its input cannot matter.
			t.Errorf("Fold(%q) = %q, Fold(lower) = %q", n, Fold(n), Fold(strings.ToLower(n)))
		}
	})
}

func FuzzFold(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		fs := Fold(s)
		if !utf8.ValidString(fs) {
			t.Fatalf("Fold(%q) = %q: invalid UTF-8", s, fs)
		}
		if afs := string(AppendFold([]byte("x"), s)); afs != "x"+fs {
			t.Errorf("AppendFold(x, %q) = %q, Fold = %q", s, afs, fs)
		}
		if ffs := Fold(fs); ffs != fs {
			t.Errorf("Fold not idempotent on %q: %q then %q", s, fs, ffs)
		}
		if HasDiacritics(fs) {
			t.Errorf("Fold(%q) = %q still has diacritics", s, fs)
		}
		if fd := Fold(norm.NFD.String(s)); fd != fs && utf8.ValidString(s) {
			t.Errorf("Fold(NFD(%q)) = %q, Fold = %q", s, fd, fs)
		}
	})
}

func FuzzClean(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q: invalid UTF-8", s, c)
		}
		if cc := Clean(c); cc != c {
			t.Errorf("Clean not idempotent on %q: %q then %q", s, c, cc)
		}
		if utf8.ValidString(s) && len(c) > len(s) {
			t.Errorf("Clean(%q) = %q grew valid text", s, c)
		}
	})
}

func FuzzSyllables(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		boundary := map[int]bool{len(s): true} // where ranging over s starts a rune
		for i := range s {
			boundary[i] = true
		}
		prevEnd := 0
		for _, tok := range Syllables(s) {
			switch {
			case tok.Start < prevEnd || tok.End <= tok.Start || tok.End > len(s):
				t.Fatalf("Syllables(%q): token %+v out of order or empty (previous ended at %d)", s, tok, prevEnd)
			case tok.Text != s[tok.Start:tok.End]:
				t.Fatalf("Syllables(%q): token %+v: text is not s[Start:End]", s, tok)
			case !utf8.ValidString(tok.Text):
				t.Fatalf("Syllables(%q): token %+v is not valid UTF-8", s, tok)
			case !boundary[tok.Start] || !boundary[tok.End]:
				t.Fatalf("Syllables(%q): token %+v not on rune boundaries", s, tok)
			}
			prevEnd = tok.End
		}
	})
}
