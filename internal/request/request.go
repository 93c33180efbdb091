package request

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"kho/index"
	"kho/internal/query"
)

// Limits of a search. Longer queries and deeper pages cost the engine more
// than any reader needs.
const (
	MaxQueryRunes  = 1000
	MaxQueryTerms  = 64
	MaxFilterRunes = 200 // one source, category, author or tag
	MaxFilterCount = 100 // values of one filter parameter
	DefaultSize    = 10
	MaxSize        = 100
	MaxResults     = 10000 // a page must start before this many results
)

// Error codes, for the HTTP layer to put in its error response.
const (
	CodeBadParameter     = "bad_parameter"
	CodeBadQuery         = "bad_query" // q does not parse; Err is a *query.SyntaxError
	CodeUnknownParameter = "unknown_parameter"
)

// Error is a search parameter that cannot be used. Its message names the
// parameter: "size: must be between 1 and 100, got 500".
type Error struct {
	Param string
	Code  string
	Msg   string
	Err   error // the cause, when there is one
}

func (e *Error) Error() string {
	name := e.Param
	if name == "" || strings.ContainsAny(name, " \t\r\n\"") || !utf8.ValidString(name) {
		name = strconv.Quote(name)
	}
	return name + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func badParam(param, format string, args ...any) *Error {
	return &Error{Param: param, Code: CodeBadParameter, Msg: fmt.Sprintf(format, args...)}
}

// The parameters a search understands, in the order errors are reported.
var (
	singleParams = []string{"q", "from", "to", "sort", "size", "page"}
	filterParams = []string{"source", "category", "author", "tag"}
)

// ParseSearch validates the parameters of a search and turns them into an
// index.SearchRequest, with dates in loc (nil means UTC). Parameters named in
// ignore are left alone (the web pages add their own); any other unknown name
// is an error, so a misspelt filter is not silently dropped. An empty value
// counts as absent, as HTML forms send empty fields. The first bad parameter
// is returned as an *Error.
func ParseSearch(v url.Values, loc *time.Location, ignore ...string) (index.SearchRequest, error) {
	var req index.SearchRequest
	err := checkNames(v, ignore)
	if err == nil {
		req.Query, req.Text, err = parseQuery(v)
	}
	if err == nil {
		req.From, req.To, err = parseDates(v, loc)
	}
	if err == nil {
		req.Sort, err = parseSort(v)
	}
	if err == nil {
		req.Page, req.Size, err = parsePaging(v)
	}
	if err == nil {
		err = parseFilters(v, &req)
	}
	if err != nil {
		return index.SearchRequest{}, err
	}
	return req, nil
}

// checkNames rejects unknown parameters and repeated single-valued ones.
func checkNames(v url.Values, ignore []string) error {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names) // report the same error for the same URL
	for _, name := range names {
		known := slices.Contains(singleParams, name) || slices.Contains(filterParams, name)
		if !known && !slices.Contains(ignore, name) {
			return &Error{Param: name, Code: CodeUnknownParameter, Msg: "unknown parameter (known: " +
				strings.Join(singleParams, ", ") + ", " + strings.Join(filterParams, ", ") + ")"}
		}
	}
	for _, name := range singleParams {
		if n := len(v[name]); n > 1 {
			return badParam(name, "given %d times, expected once", n)
		}
	}
	return nil
}

// parseQuery parses q, which is kept as typed for the engine's suggestions.
func parseQuery(v url.Values) (query.Node, string, error) {
	text := v.Get("q")
	if n := utf8.RuneCountInString(text); n > MaxQueryRunes {
		return nil, "", badParam("q", "too long: %d characters, at most %d", n, MaxQueryRunes)
	}
	n, err := query.Parse(text)
	if err != nil {
		return nil, "", &Error{Param: "q", Code: CodeBadQuery, Msg: err.Error(), Err: err}
	}
	if terms := query.CountTerms(n); terms > MaxQueryTerms {
		return nil, "", badParam("q", "too many words: %d, at most %d", terms, MaxQueryTerms)
	}
	return n, text, nil
}

// parseDates parses from and to; either may be absent (zero).
func parseDates(v url.Values, loc *time.Location) (from, to time.Time, err error) {
	if from, _, err = period(v, "from", loc); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if _, to, err = period(v, "to", loc); err != nil {
		return time.Time{}, time.Time{}, err
	}
	// Both bounds are inclusive periods: from=2024-06-15&to=2024-06 is the
	// second half of June, from=2024-07&to=2024-06 is nothing.
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return time.Time{}, time.Time{}, badParam("from", "%s is after to=%s", param(v, "from"), param(v, "to"))
	}
	return from, to, nil
}

// period parses the date parameter name; an absent one is zero times.
func period(v url.Values, name string, loc *time.Location) (start, end time.Time, err error) {
	s := param(v, name)
	if s == "" {
		return time.Time{}, time.Time{}, nil
	}
	start, end, err = Period(s, loc)
	if err != nil {
		return time.Time{}, time.Time{}, &Error{Param: name, Code: CodeBadParameter, Msg: err.Error(), Err: err}
	}
	return start, end, nil
}

func parseSort(v url.Values) (index.Sort, error) {
	switch s := param(v, "sort"); s {
	case "", "relevance":
		return index.SortRelevance, nil
	case "newest":
		return index.SortNewest, nil
	case "oldest":
		return index.SortOldest, nil
	default:
		return 0, badParam("sort", "must be relevance, newest or oldest, got %q", s)
	}
}

// parsePaging parses size, then page, whose limit depends on the size.
func parsePaging(v url.Values) (page, size int, err error) {
	if size, err = intParam(v, "size", DefaultSize, 1, MaxSize); err != nil {
		return 0, 0, err
	}
	if page, err = intParam(v, "page", 1, 1, MaxResults); err != nil {
		return 0, 0, err
	}
	if (page-1)*size >= MaxResults {
		last := (MaxResults + size - 1) / size
		return 0, 0, badParam("page", "%d starts past the first %d results; with size %d the last page is %d",
			page, MaxResults, size, last)
	}
	return page, size, nil
}

// intParam parses a whole-number parameter between lo and hi; absent is def.
func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := param(v, name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, badParam(name, "must be a whole number, got %q", s)
	}
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "must be between %d and %d, got %s", lo, hi, s)
	}
	return n, nil
}

func parseFilters(v url.Values, req *index.SearchRequest) error {
	for _, f := range []struct {
		name string
		dst  *[]string
	}{
		{"source", &req.Sources}, {"category", &req.Categories}, {"author", &req.Authors}, {"tag", &req.Tags},
	} {
		values, err := filterValues(f.name, v[f.name])
		if err != nil {
			return err
		}
		*f.dst = values
	}
	return nil
}

// filterValues trims the values of a filter and drops empty and repeated ones.
func filterValues(name string, raw []string) ([]string, error) {
	var values []string
	for _, s := range raw {
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(values, s) {
			continue
		}
		if n := utf8.RuneCountInString(s); n > MaxFilterRunes {
			return nil, badParam(name, "value %q… is too long: %d characters, at most %d", truncate(s, 20), n, MaxFilterRunes)
		}
		if len(values) == MaxFilterCount {
			return nil, badParam(name, "more than %d values", MaxFilterCount)
		}
		values = append(values, s)
	}
	return values, nil
}

// param is the trimmed single value of a parameter, "" when absent.
func param(v url.Values, name string) string { return strings.TrimSpace(v.Get(name)) }

func truncate(s string, runes int) string {
	for i := range s {
		if runes == 0 {
			return s[:i]
		}
		runes--
	}
	return s
}
