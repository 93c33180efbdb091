package request

import (
	"errors"
	"net/url"
	"testing"
	"unicode/utf8"

	"kho/internal/query"
)

// FuzzParseSearch checks that no query string panics ParseSearch, that every
// error is a *Error, and that every accepted request keeps the limits.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"q=a+b&from=2024&to=2024-06&sort=newest&page=2&size=20", "q=%22", "page=1001", "x=1", "source=a&source=&source=a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw) // keeps what it could parse; so does a server
		req, err := ParseSearch(v, ict, "ignored")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.Msg == "" {
				t.Fatalf("ParseSearch(%q) error %#v is not a complete *Error", raw, err)
			}
			return
		}
		if req.Size < 1 || req.Size > MaxSize || req.Page < 1 || (req.Page-1)*req.Size >= MaxResults {
			t.Fatalf("ParseSearch(%q): page %d, size %d out of bounds", raw, req.Page, req.Size)
		}
		if !req.From.IsZero() && !req.To.IsZero() && req.From.After(req.To) {
			t.Fatalf("ParseSearch(%q): from %v after to %v", raw, req.From, req.To)
		}
		if utf8.RuneCountInString(req.Text) > MaxQueryRunes || query.CountTerms(req.Query) > MaxQueryTerms {
			t.Fatalf("ParseSearch(%q): query over the limits", raw)
		}
		for _, values := range [][]string{req.Sources, req.Categories, req.Authors, req.Tags} {
			if len(values) > MaxFilterCount {
				t.Fatalf("ParseSearch(%q): %d filter values", raw, len(values))
			}
			for _, s := range values {
				if s == "" || utf8.RuneCountInString(s) > MaxFilterRunes {
					t.Fatalf("ParseSearch(%q): filter value %q", raw, s)
				}
			}
		}
	})
}
