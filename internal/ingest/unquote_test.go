package ingest

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// unquoteSimple must decode a string of valid UTF-8 exactly as encoding/json
// does, or decline.
func FuzzUnquoteSimple(f *testing.F) {
	for _, s := range []string{
		`""`, `"Hà Nội"`, `"dòng 1\ndòng 2\n\nđoạn 2"`, `"a \"trích\" b"`, `"\\\\ và \/ \t \r \b \f"`,
		`"\u1ec7 escaped"`, `"surrogate \ud83d\ude00"`, `"lone \ud800"`, "\"bad \xff byte\"", `"ends with \\"`,
		`"x\\"`, `"\q"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want string
		if err := json.Unmarshal(raw, &want); err != nil || !utf8.Valid(raw) {
			return // not a JSON string of UTF-8: the decoder never hands one over
		}
		got, ok := unquoteSimple(raw)
		if ok && got != want {
			t.Errorf("unquoteSimple(%q) = %q, encoding/json gives %q", raw, got, want)
		}
	})
}

func TestUnquoteSimpleTakesCommonStrings(t *testing.T) {
	for raw, want := range map[string]string{
		`"Hà Nội"`:                    "Hà Nội",
		`"dòng 1\ndòng 2\n\nđoạn 2"`:  "dòng 1\ndòng 2\n\nđoạn 2",
		`"a \"trích\" b \\ c \/ d\t"`: "a \"trích\" b \\ c / d\t",
	} {
		if got, ok := unquoteSimple([]byte(raw)); !ok || got != want {
			t.Errorf("unquoteSimple(%s) = %q, %v; want %q", raw, got, ok, want)
		}
	}
}
