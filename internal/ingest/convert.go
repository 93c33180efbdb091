package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kho/internal/article"
	"kho/internal/legacy"
	"kho/internal/vntext"
)

// converter turns a decoder's Record into an Article: vntext repairs on
// every text field, the date parsed or inferred, boilerplate split off, the
// key, Validate.
type converter struct {
	loc      *time.Location
	now      time.Time
	source   string          // --source: the source of records that name none
	encoding legacy.Encoding // --encoding: Auto detects legacy text per field
}

// conversion is a converted record: the article, or why it is skipped, and
// what was noticed on the way.
type conversion struct {
	a        *article.Article
	key      string
	skip     error
	repaired bool         // invalid UTF-8 replaced
	warnings []string     // kept, but the report says why it looks odd
	legacy   []legacyNote // fields converted from a legacy encoding, or kept though they look legacy
}

func (c *converter) convert(rec Record) conversion {
	var out conversion
	// Every decoder checks the bytes it read (InvalidUTF8), and strings cut
	// from valid UTF-8 are valid: the fields are read again only when the
	// bytes were not, or a legacy encoding was converted.
	invalid := rec.InvalidUTF8
	var converted bool
	out.legacy, converted = decodeLegacyFields(&rec, c.encoding)
	// Raw legacy bytes that were converted are no repair; bad bytes left
	// over (legacy.DecodeField replaces them) are.
	out.repaired = invalid && !converted || converted && !validUTF8(rec)
	if rec.WordSegmented {
		rec.Title, rec.Summary = Desegment(rec.Title), Desegment(rec.Summary)
	}
	body := strings.ReplaceAll(vntext.Repair(rec.Body), "\r\n", "\n")
	body, listed := splitBodyReadingList(stripKnownBoilerplate(body))
	a := &article.Article{
		URL:         strings.TrimSpace(vntext.Repair(rec.URL)),
		Title:       oneLine(vntext.Repair(rec.Title)),
		Summary:     strings.TrimSpace(vntext.Repair(rec.Summary)),
		Body:        body,
		Captions:    repairAll(rec.Captions),
		ReadingList: append(repairAll(rec.ReadingList), repairAll(listed)...),
		Author:      oneLine(vntext.Repair(rec.Author)),
		Category:    oneLine(vntext.Repair(rec.Category)),
		Tags:        dedupe(repairAll(rec.Tags)),
	}
	a.Source = article.SourceOf(vntext.Repair(rec.Source), a.URL, firstNonEmpty(c.source, rec.sourceGuess))
	if a.Source == "" {
		a.Source = "unknown"
	}
	out.warnings = c.setDate(a, strings.TrimSpace(rec.Published))
	id := strings.TrimSpace(vntext.Repair(rec.ID))
	if id == "" && a.URL == "" {
		id = rec.defaultID
	}
	a.ID = article.Key(a.Source, id, a.URL, a.Title, strings.TrimSpace(rec.Published), a.Body)
	out.a, out.key = a, a.ID
	if err := a.Validate(); err != nil {
		out.a, out.skip = nil, err
	}
	return out
}

// setDate fills Published and PublishedFrom from the record's date, else
// from the lead, and returns what the report should say about a bad date.
func (c *converter) setDate(a *article.Article, raw string) []string {
	var warnings []string
	a.PublishedFrom = article.FromUnknown
	if raw != "" {
		t, err := ParseDate(raw, c.loc)
		switch {
		case err != nil:
			warnings = append(warnings, fmt.Sprintf("%v; date left unknown", err))
		case !dateInRange(t, c.now):
			warnings = append(warnings, fmt.Sprintf("date %s is before 1900 or in the future; left unknown", t.Format("2006-01-02")))
		default:
			a.Published, a.PublishedFrom = t, article.FromMetadata
			return nil
		}
	}
	for _, lead := range []string{a.Summary, firstParagraph(a.Body)} {
		if t, ok := InferDate(lead, c.loc); ok {
			if dateInRange(t, c.now) {
				a.Published, a.PublishedFrom = t, article.FromText
			} else {
				warnings = append(warnings, fmt.Sprintf("lead states %s, before 1900 or in the future; left unknown", t.Format("2006-01-02")))
			}
			break
		}
	}
	return warnings
}

func firstParagraph(body string) string {
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		return body[:i]
	}
	return body
}

func validUTF8(rec Record) bool {
	for _, s := range []string{rec.ID, rec.URL, rec.Source, rec.Title, rec.Summary, rec.Body, rec.Author, rec.Category, rec.Published} {
		if !utf8.ValidString(s) {
			return false
		}
	}
	for _, list := range [][]string{rec.Tags, rec.Captions, rec.ReadingList} {
		for _, s := range list {
			if !utf8.ValidString(s) {
				return false
			}
		}
	}
	return true
}

// oneLine repairs a field that is a single line: runs of white space,
// line breaks included, become one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func repairAll(list []string) []string {
	var out []string
	for _, s := range list {
		if s = oneLine(vntext.Repair(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Summary keys for skip reasons: a short, stable label per kind of problem.
func reasonLabel(err error) string {
	switch {
	case errors.Is(err, ErrInvalidJSON):
		return "invalid JSON"
	case errors.Is(err, ErrLineTooLong):
		return ErrLineTooLong.Error()
	case errors.Is(err, ErrPageTooLarge):
		return ErrPageTooLarge.Error()
	case errors.Is(err, ErrBinary):
		return ErrBinary.Error()
	case errors.Is(err, article.ErrNoText):
		return article.ErrNoText.Error()
	case errors.Is(err, article.ErrTooLarge):
		return article.ErrTooLarge.Error()
	case errors.Is(err, article.ErrNoKey):
		return article.ErrNoKey.Error()
	case errors.Is(err, errUnreadable):
		return "unreadable file"
	case errors.Is(err, errTruncated):
		return "truncated or corrupt file"
	}
	return "other"
}
