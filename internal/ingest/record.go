package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"kho/internal/legacy"
)

// Record is one article as a decoder found it: raw strings, not yet
// repaired, with the place it came from.
type Record struct {
	File string // as named on the command line or found in a directory; "-" for stdin
	Line int    // 1-based line where the record starts

	ID, URL, Source        string
	Title, Summary, Body   string
	Author, Category       string
	Tags, Captions         []string
	ReadingList            []string       // other headlines the page listed
	Published              string         // the date as written, parsed later
	PublishedFromText      bool           // Published is a date line of the page, not a field
	WordSegmented          bool           // title and summary have words joined by "_" (VietnameseMDS)
	InvalidUTF8            bool           // the decoder saw bytes that are not UTF-8
	defaultID, sourceGuess string         // a page's file name; its folder's name
	legacyLine             *legacy.Result // the raw JSON was converted from a legacy encoding
}

// Field aliases real dumps use, in order of preference.
var (
	aliasID        = []string{"id", "_id", "guid", "doc_id", "docid", "postId", "article_id"}
	aliasURL       = []string{"url", "link", "canonical_url", "href"}
	aliasSource    = []string{"source", "site", "domain"}
	aliasTitle     = []string{"title", "headline"}
	aliasSummary   = []string{"summary", "sapo", "description", "lead"}
	aliasBody      = []string{"body", "content", "text"}
	aliasPublished = []string{"published", "date", "time", "pubDate", "published_at", "datePublished", "published_raw"}
	aliasAuthor    = []string{"author", "authors", "byline"}
	aliasCategory  = []string{"category", "section"}
	aliasTags      = []string{"tags", "keywords"}
	aliasCaptions  = []string{"captions"}
)

// ErrNotRecord means a JSON value is not an object and so not an article.
var ErrNotRecord = errors.New("not a JSON object")

// recordFromJSON maps one JSON object onto a Record through the aliases.
// Field names match case-insensitively, as encoding/json does.
func recordFromJSON(raw []byte) (Record, error) {
	// A line splitObject reads is UTF-8; any other line is checked for raw
	// legacy bytes, then read as it can be: by splitObject again only when
	// a legacy table converted it, for it refuses the same bytes otherwise.
	var line *legacy.Result
	valid := true
	fields, ok := splitObject(raw)
	if !ok {
		raw, line, valid = decodeLegacyLine(raw)
		if line != nil {
			fields, ok = splitObject(raw)
		}
		if !ok {
			var err error
			if fields, err = decodeObject(raw); err != nil {
				return Record{}, err
			}
		}
	}
	utf8OK := valid || line != nil // a converted line is UTF-8
	if fields == nil {
		return Record{}, ErrNotRecord
	}
	lower := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		lk := strings.ToLower(k)
		if _, dup := lower[lk]; !dup || k == lk {
			lower[lk] = v
		}
	}
	pick := func(aliases []string) jsonValue {
		for _, a := range aliases {
			if v, ok := lower[strings.ToLower(a)]; ok {
				if jv := parseJSONValue(v, utf8OK); !jv.empty() {
					return jv
				}
			}
		}
		return jsonValue{}
	}
	r := Record{
		ID:        pick(aliasID).text(""),
		URL:       pick(aliasURL).text(""),
		Source:    pick(aliasSource).text(""),
		Title:     pick(aliasTitle).text(" "),
		Summary:   pick(aliasSummary).text("\n\n"),
		Body:      pick(aliasBody).text("\n\n"),
		Published: pick(aliasPublished).text(""),
		Author:    pick(aliasAuthor).text(", "),
		Category:  pick(aliasCategory).text(", "),
		Tags:      pick(aliasTags).list(),
		Captions:  pick(aliasCaptions).items,
	}
	if v, ok := lower["title_summary_word_segmented"]; ok {
		r.WordSegmented = bytes.Equal(bytes.TrimSpace(v), []byte("true"))
	}
	r.legacyLine = line
	r.InvalidUTF8 = !valid
	return r, nil
}

// decodeObject decodes a JSON line through encoding/json: what splitObject
// leaves to it, and the error of a line that is not JSON.
func decodeObject(raw []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&fields); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return nil, ErrNotRecord
		}
		return nil, err
	}
	return fields, nil
}

// jsonValue is a field value flattened to text: a string, a number's
// literal, the strings of an array, or the text of an object such as
// {"text": "…"} or {"name": "…"}.
type jsonValue struct {
	items []string
}

func (v jsonValue) empty() bool {
	for _, s := range v.items {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func (v jsonValue) text(sep string) string { return strings.Join(v.items, sep) }

// list splits a single "a, b | c" string into items; arrays stay as they are.
func (v jsonValue) list() []string {
	if len(v.items) != 1 {
		return v.items
	}
	var out []string
	for _, s := range strings.FieldsFunc(v.items[0], func(r rune) bool { return r == ',' || r == '|' || r == ';' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var objectTextKeys = []string{"text", "name", "value", "domain", "url", "href", "content"}

// parseJSONValue flattens raw; utf8OK says raw is known to be UTF-8 (its
// line was checked), so its strings may take unquoteSimple.
func parseJSONValue(raw json.RawMessage, utf8OK bool) jsonValue {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return jsonValue{}
	}
	switch raw[0] {
	case '"':
		if utf8OK {
			if s, ok := unquoteSimple(raw); ok {
				return jsonValue{items: []string{s}}
			}
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return jsonValue{items: []string{s}}
		}
	case '[':
		var elems []json.RawMessage
		if json.Unmarshal(raw, &elems) == nil {
			var v jsonValue
			for _, e := range elems {
				v.items = append(v.items, parseJSONValue(e, utf8OK).items...)
			}
			return v
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			for _, k := range objectTextKeys {
				if e, ok := obj[k]; ok {
					return parseJSONValue(e, utf8OK)
				}
			}
		}
	case 'n', 't', 'f': // null, true, false carry no text
	default:
		return jsonValue{items: []string{string(raw)}} // a number, as written
	}
	return jsonValue{}
}

// unquoteSimple decodes a JSON string whose only escapes are
// \" \\ \/ \b \f \n \r \t, as most dumps' strings are, in one pass: a
// body through json.Unmarshal is scanned twice more. raw comes out of a
// decoded object of valid UTF-8 (the caller checked its line once), so it
// is a well-formed string; ok is false for anything else (\u escapes),
// which json.Unmarshal decodes.
func unquoteSimple(raw []byte) (_ string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	esc := bytes.IndexByte(in, '\\')
	if esc < 0 {
		return string(in), true
	}
	out := make([]byte, 0, len(in))
	for esc >= 0 {
		out = append(out, in[:esc]...)
		if esc+1 >= len(in) {
			return "", false
		}
		switch c := in[esc+1]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default:
			return "", false
		}
		in = in[esc+2:]
		esc = bytes.IndexByte(in, '\\')
	}
	out = append(out, in...) // within its capacity: unescaping only shortens
	// The bytes are the string's alone: no second copy of a body.
	return unsafe.String(unsafe.SliceData(out), len(out)), true
}

// LineError is a problem at a line of a file.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }
