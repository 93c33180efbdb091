package ingest

import (
	"bytes"
	"encoding/json"
	"maps"
	"testing"
	"unicode/utf8"
)

// splitObject must split a line exactly as encoding/json's decoder does, or
// decline; it must never take a line the decoder refuses, nor one that is
// not UTF-8 (that line is looked at for raw legacy bytes first).
func FuzzSplitObject(f *testing.F) {
	for _, s := range []string{
		`{}`, ` {"id": "a1", "title": "Hà Nội", "body": "dòng 1\ndòng 2", "tags": ["x", "y"]}`,
		`{"published": 1700000000, "n": -0.5e+3, "ok": true, "no": false, "z": null, "o": {"text": "t"}}`,
		`{"a": 1, "a": 2}`, `{"Title": "x", "title": "y"}`, `{"a": "\u1ec7 \ud83d\ude00 \"q\" \\ \/"}`,
		`{"k\u00e9": 1}`, "{\"k\xff\": 1}", `{"a": [1, [2, [3, {"b": []}]]]}`, `{"a": 1} trailing`,
		`{"a": 01}`, `{"a": 1.}`, `{"a": .5}`, `{"a": -}`, `{"a": 1e}`, `{"a": "x`, `{"a": "\x"}`,
		"{\"a\": \"tab\there\"}", `{"a" 1}`, `{"a": 1,}`, `{,}`, `[{"a": 1}]`, `"s"`, `null`, `{"a": tru}`,
		`{"a": nul}`, `{"a": {"b": 1,}}`, `{"a": [1 2]}`, "{\"a\": \"\xe1\xba\"}", `{"a":1}{"b":2}`,
		"{\"a\": \"T\xe0u\"}", "{\"a\": [\"ok\", \"\xc3\"]}", "{\"a\": 1} \xff", "{\"a\": \"\xed\xa0\x80\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := splitObject(raw)
		want, err := decodeObject(raw)
		if !ok {
			return
		}
		if err != nil {
			t.Fatalf("splitObject(%q) took a line encoding/json refuses (%v): %q", raw, err, got)
		}
		if !utf8.Valid(raw) {
			t.Fatalf("splitObject(%q) took a line that is not UTF-8", raw)
		}
		if !sameFields(got, want) {
			t.Errorf("splitObject(%q) = %q, encoding/json gives %q", raw, got, want)
		}
	})
}

// The lines of a dump take the one-pass path: a regression to the decoder
// would only show as a slower ingest.
func TestSplitObjectTakesDumpLines(t *testing.T) {
	for _, line := range []string{
		`{"id":"vnx-1","title":"Dân vận khéo","summary":"Tóm tắt \"trích\"","body":"Đoạn 1.\n\nĐoạn 2.",` +
			`"published":"2024-03-05T08:00:00+07:00","tags":["chính trị","xã hội"],"captions":[{"text":"Ảnh"}],"views":1024}`,
		`  {"headline": "Bão số 3", "content": "Mưa lớn\u2026", "date": 1700000000, "author": null}`,
	} {
		got, ok := splitObject([]byte(line))
		if !ok {
			t.Errorf("splitObject declined %s", line)
			continue
		}
		want, err := decodeObject([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		if !sameFields(got, want) {
			t.Errorf("splitObject(%s) = %q, encoding/json gives %q", line, got, want)
		}
	}
}

func sameFields(a, b map[string]json.RawMessage) bool {
	return maps.EqualFunc(a, b, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) })
}
