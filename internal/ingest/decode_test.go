package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// decoded is what a decoder emitted, in a shape easy to compare.
type decoded struct {
	Line  int
	Title string
	Bad   string // the error's text, for a bad record
}

func collect(t *testing.T, dec func(io.Reader, string, emitFunc) error, in string) ([]decoded, []Record, error) {
	t.Helper()
	var got []decoded
	var recs []Record
	err := dec(strings.NewReader(in), "f", func(rec Record, bad error) bool {
		if rec.File != "f" {
			t.Errorf("record at line %d has file %q", rec.Line, rec.File)
		}
		d := decoded{Line: rec.Line, Title: rec.Title}
		if bad != nil {
			d.Bad = bad.Error()
		} else {
			recs = append(recs, rec)
		}
		got = append(got, d)
		return true
	})
	return got, recs, err
}

func TestDecodeJSONL(t *testing.T) {
	in := `{"id": "1", "title": "Một"}

{"title": "Hai", "body": "x"}
{"title": "Ba" "body": 1}
[1, 2]
{"title": "Bốn"}` // no newline at the end
	got, _, err := collect(t, decodeJSONL, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []decoded{
		{Line: 1, Title: "Một"},
		{Line: 3, Title: "Hai"},
		{Line: 4, Bad: "invalid JSON: invalid character '\"' after object key:value pair at byte 16"},
		{Line: 5, Bad: "invalid JSON: not a JSON object"},
		{Line: 6, Title: "Bốn"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeJSONLAliases(t *testing.T) {
	in := `{"_id": 7, "link": "https://www.Tuoitre.vn/a.htm", "headline": "Tựa", "sapo": "Sa pô", "content": {"text": "Thân bài"}, "pubDate": 1719372600, "Section": "Thời sự", "keywords": "a, b | c", "authors": ["X", "Y"]}
{"id": "2", "title": "T", "description": "mô tả", "text": "văn bản", "published_at": "2024-06-26", "section": "Thế giới", "tags": ["k"], "source": "dantri.com.vn"}
{"id": "3", "title": "T", "lead": "đầu", "body": ["đoạn 1", "đoạn 2"], "date": "26/6/2024", "category": "Giáo dục", "published_raw": "ignored", "time": null}
{"id": "4", "title": "Phe đối_lập", "title_summary_word_segmented": true, "published": "", "published_raw": "20240626"}`
	_, recs, err := collect(t, decodeJSONL, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{File: "f", Line: 1, ID: "7", URL: "https://www.Tuoitre.vn/a.htm", Title: "Tựa", Summary: "Sa pô", Body: "Thân bài",
			Published: "1719372600", Category: "Thời sự", Tags: []string{"a", "b", "c"}, Author: "X, Y"},
		{File: "f", Line: 2, ID: "2", Source: "dantri.com.vn", Title: "T", Summary: "mô tả", Body: "văn bản",
			Published: "2024-06-26", Category: "Thế giới", Tags: []string{"k"}},
		{File: "f", Line: 3, ID: "3", Title: "T", Summary: "đầu", Body: "đoạn 1\n\nđoạn 2", Published: "26/6/2024", Category: "Giáo dục"},
		{File: "f", Line: 4, ID: "4", Title: "Phe đối_lập", WordSegmented: true, Published: "20240626"},
	}
	if !reflect.DeepEqual(recs, want) {
		for i := range recs {
			t.Errorf("got  %+v\nwant %+v", recs[i], want[min(i, len(want)-1)])
		}
	}
}

func TestDecodeJSONLOversizedLine(t *testing.T) {
	huge := `{"title": "` + strings.Repeat("a", MaxLineBytes+10) + `"}`
	in := `{"title": "trước"}` + "\n" + huge + "\n" + `{"title": "sau"}` + "\n"
	got, _, err := collect(t, decodeJSONL, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []decoded{{Line: 1, Title: "trước"}, {Line: 2, Bad: ErrLineTooLong.Error()}, {Line: 3, Title: "sau"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestDecodeJSONLInvalidUTF8(t *testing.T) {
	_, recs, _ := collect(t, decodeJSONL, "{\"title\": \"Ti\xe1\xbb\"}\n{\"title\": \"ổn\"}\n")
	if len(recs) != 2 || !recs[0].InvalidUTF8 || recs[1].InvalidUTF8 {
		t.Errorf("InvalidUTF8 flags: %+v", recs)
	}
}

// A truncated gzip keeps the records before the cut and reports the line.
func TestDecodeTruncatedGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(zw, `{"id": "%d", "title": "Bài %d", "body": "%s"}`+"\n", i, i, strings.Repeat("nội dung ", 40))
	}
	zw.Close()
	cut := buf.Bytes()[:buf.Len()/2]
	br, closer, err := uncompressed(bytes.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	var n int
	err = decodeJSONL(br, "f", func(rec Record, bad error) bool {
		if bad != nil {
			t.Errorf("line %d: %v", rec.Line, bad)
		}
		n++
		return true
	})
	var le *LineError
	if !errors.As(err, &le) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want a LineError wrapping io.ErrUnexpectedEOF", err)
	}
	if n == 0 || n >= 200 || le.Line != n+1 {
		t.Errorf("read %d records, error at line %d; want some records and the error on the next line", n, le.Line)
	}
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     []decoded
		wantErr  string
	}{
		{"array", "[\n  {\"title\": \"Một\"},\n  {\"title\": \"Hai\"}\n]", []decoded{{Line: 2, Title: "Một"}, {Line: 3, Title: "Hai"}}, ""},
		{"object", "{\n \"title\": \"Một\",\n \"body\": \"x\"\n}", []decoded{{Line: 1, Title: "Một"}}, ""},
		{"wrapper", "{\"articles\": [\n{\"title\": \"Một\"},\n{\"title\": \"Hai\"}]}", []decoded{{Line: 2, Title: "Một"}, {Line: 3, Title: "Hai"}}, ""},
		{"concatenated", "{\"title\": \"Một\"}\n{\"title\": \"Hai\"}", []decoded{{Line: 1, Title: "Một"}, {Line: 2, Title: "Hai"}}, ""},
		{"element not an object", "[{\"title\": \"Một\"}, 5]", []decoded{{Line: 1, Title: "Một"}, {Line: 1, Bad: "invalid JSON: array element is not an article object"}}, ""},
		{"broken", "[\n{\"title\": \"Một\"},\n{\"title\": \"Hai\",,}\n]", []decoded{{Line: 2, Title: "Một"}}, "line 3: invalid JSON"},
		{"empty", "  \n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := collect(t, decodeJSON, tt.in)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.HasPrefix(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{`{"title": "a"}` + "\n" + `{"title": "b"}`, FormatJSONL},
		{"{\n  \"title\": \"a\"\n}", FormatJSON},
		{"  [{}]", FormatJSON},
		{"<!doctype html><html>", FormatHTML},
		{"Tiêu đề\nThân bài", FormatText},
		{"", FormatText},
	}
	for _, tt := range tests {
		br, _, _ := uncompressed(strings.NewReader(tt.in))
		if got := sniff(br); got != tt.want {
			t.Errorf("sniff(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFormatOfName(t *testing.T) {
	tests := map[string]Format{
		"a.jsonl": FormatJSONL, "b.NDJSON.gz": FormatJSONL, "c.json": FormatJSON, "d.json.gz": FormatJSON,
		"e.txt": FormatText, "f.html": FormatHTML, "g.htm": FormatHTML, "README.md": "", "h.gz": "",
	}
	for name, want := range tests {
		if got := formatOfName(name); got != want {
			t.Errorf("formatOfName(%q) = %q, want %q", name, got, want)
		}
	}
}

func FuzzDecodeJSONL(f *testing.F) {
	f.Add([]byte(`{"id": "1", "title": "Một", "body": "x", "tags": ["a"], "published": 1719372600}` + "\n[1]\n{bad"))
	f.Add([]byte(`{"content": {"text": "x"}, "keywords": "a|b", "authors": [{"name": "X"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		fuzzDecoder(t, decodeJSONL, in)
	})
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte("[\n{\"title\": \"Một\"},\n{\"title\": \"Hai\"}]"))
	f.Add([]byte(`{"articles": [{"title": "a"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		fuzzDecoder(t, decodeJSON, in)
	})
}

// fuzzDecoder checks what every decoder promises: no panic, lines within
// the input, and each record either emitted or reported.
func fuzzDecoder(t *testing.T, dec func(io.Reader, string, emitFunc) error, in []byte) {
	lines := bytes.Count(in, []byte("\n")) + 1
	err := dec(bytes.NewReader(in), "f", func(rec Record, bad error) bool {
		if rec.Line < 1 || rec.Line > lines {
			t.Fatalf("line %d outside 1..%d", rec.Line, lines)
		}
		return true
	})
	var le *LineError
	if err != nil && (!errors.As(err, &le) || le.Line < 1 || le.Line > lines+1) {
		t.Fatalf("error %v has no line within the input", err)
	}
}

func TestByteOrderMark(t *testing.T) {
	for _, dec := range []func(io.Reader, string, emitFunc) error{decodeJSONL, decodeJSON} {
		br, _, err := uncompressed(strings.NewReader("\ufeff{\"title\": \"Một\"}\n"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		dec(br, "f", func(rec Record, bad error) bool {
			if bad != nil {
				t.Errorf("line %d: %v", rec.Line, bad)
			}
			got = append(got, rec.Title)
			return true
		})
		if len(got) != 1 || got[0] != "Một" {
			t.Errorf("got %q, want the one record", got)
		}
	}
}
