package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"
)

func decodeBody(t *testing.T, body string) ([]string, error) {
	t.Helper()
	var got []string
	err := DecodeBody(strings.NewReader(body), Options{Location: time.UTC, Source: "toasoan.test"}, func(r BodyRecord) bool {
		s := fmt.Sprintf("%d %s", r.Line, r.Key)
		if r.Skip != nil {
			s += " skip: " + reasonLabel(r.Skip)
		} else if r.Article.Title == "" {
			t.Errorf("line %d: stored record without a title", r.Line)
		}
		got = append(got, s)
		return true
	})
	return got, err
}

func TestDecodeBody(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"object", `{"id": "1", "title": "Một"}`, []string{"1 toasoan.test:1"}},
		{"array over lines", "[\n{\"id\": \"1\", \"title\": \"Một\"},\n{\"id\": \"2\"}\n]", []string{"2 toasoan.test:1", "3 toasoan.test:2 skip: no title and no body"}},
		{"NDJSON after blank lines", "\n\n{\"id\": \"1\", \"title\": \"Một\"}\n{x\n{\"url\": \"https://www.a.test/b\", \"title\": \"Hai\"}",
			[]string{"3 toasoan.test:1", "4  skip: invalid JSON", "5 a.test:u3c46ab7589eb25ee"}},
		{"pretty object", "{\n  \"id\": \"1\",\n  \"title\": \"Một\"\n}", []string{"1 toasoan.test:1"}},
		{"cut off", `[{"id": "1", "title": "Một"}, {"id": `, []string{"1 toasoan.test:1", "1  skip: invalid JSON"}},
		{"empty", "", nil},
		{"blank", " \r\n\t\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeBody(t, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestDecodeBodyErrors(t *testing.T) {
	for _, body := range []string{"<html></html>", "Tin mới", "\x00\x01"} {
		if _, err := decodeBody(t, body); !errors.Is(err, ErrNotJSON) {
			t.Errorf("body %q: error %v, want ErrNotJSON", body, err)
		}
	}
	broken := errors.New("connection reset")
	for _, partial := range []string{"", `[{"id": "1", "title": "Một"}, {"id": "2", "ti`, "{\"id\": \"1\", \"title\": \"Một\"}\n{\"id\""} {
		body := io.MultiReader(strings.NewReader(partial), iotest.ErrReader(broken))
		err := DecodeBody(body, Options{Location: time.UTC}, func(BodyRecord) bool { return true })
		if !errors.Is(err, broken) {
			t.Errorf("read error after %q: got %v, want it passed on", partial, err)
		}
	}
}

// FuzzDecodeBody checks what POST /api/articles relies on: no panic, lines
// within the body, and every record either skipped with a reason or a
// keyed article with valid UTF-8 text free of NUL bytes.
func FuzzDecodeBody(f *testing.F) {
	f.Add([]byte(`{"id": "1", "title": "Một"}`))
	f.Add([]byte("[{\"id\": \"1\", \"title\": \"Một\"},\n{\"id\": \"2\"}]"))
	f.Add([]byte("{\"title\": \"a\\u0000b\"}\n{bad\n{\"title\": \"Ng\xc6\xb0\xe1\xbb\"}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		lines := bytes.Count(body, []byte("\n")) + 1
		err := DecodeBody(bytes.NewReader(body), Options{Location: time.UTC}, func(r BodyRecord) bool {
			if r.Line < 0 || r.Line > lines {
				t.Fatalf("line %d outside the body's %d lines", r.Line, lines)
			}
			if r.Skip != nil {
				if r.Article != nil {
					t.Fatalf("line %d: skipped (%v) yet has an article", r.Line, r.Skip)
				}
				return true
			}
			a := r.Article
			if a == nil || a.ID == "" || a.ID != r.Key {
				t.Fatalf("line %d: stored record without a key: %+v", r.Line, r)
			}
			for _, s := range append([]string{a.ID, a.Title, a.Summary, a.Body, a.Source, a.Author, a.Category}, a.Tags...) {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("line %d: stored text %q is not clean", r.Line, s)
				}
			}
			return true
		})
		if err != nil && !errors.Is(err, ErrNotJSON) {
			t.Fatalf("error %v, want nil or ErrNotJSON", err)
		}
	})
}

func TestLooksBinary(t *testing.T) {
	tests := []struct {
		name string
		page string
		want bool
	}{
		{"Vietnamese text", "Hà Nội\n\nNgày 26/6, hội thi\tdân vận khéo.\r\n", false},
		{"TCVN3 bytes", "H\xb5 N\xe9i \xad\xea\xedng", false},
		{"a NUL", "Tin\x00", true},
		{"UTF-16", "\xff\xfeT\x00i\x00n\x00", true},
		{"control bytes", strings.Repeat("\x01\x02\x03abc", 10), true},
		{"a stray control", "Tin " + strings.Repeat("chữ ", 50) + "\x1b", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		if got := looksBinary([]byte(tc.page)); got != tc.want {
			t.Errorf("%s: looksBinary = %v, want %v", tc.name, got, tc.want)
		}
	}
}
