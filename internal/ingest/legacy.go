package ingest

import (
	"fmt"
	"unicode/utf8"

	"kho/internal/legacy"
)

// Legacy encodings (issue 10): text typed in TCVN3, VNI or VISCII fonts is
// converted to Unicode before anything else touches it — vntext.Clean
// would drop TCVN3's ư (U+00AD) as a soft hyphen.

// decodeLegacyLine converts a JSON value that is not UTF-8 (a database dump
// in raw TCVN3 bytes, punctuation and all) as a whole, before JSON decoding
// would replace its bytes with U+FFFD. The result is nil when the value was
// UTF-8 or no legacy table fits it; valid says whether raw was UTF-8.
func decodeLegacyLine(raw []byte) (_ []byte, _ *legacy.Result, valid bool) {
	if utf8.Valid(raw) {
		return raw, nil, true
	}
	r := legacy.DecodeBytes(raw, legacy.Auto)
	if !r.Converted {
		return raw, nil, false
	}
	return []byte(r.Text), &r, false
}

// legacyNote is a report line about one field's encoding.
type legacyNote struct {
	outcome, reason string
}

// decodeLegacyFields converts the text fields of rec written in a legacy
// encoding (force is --encoding; Auto detects per field, with the record's
// other fields settling a short field two tables read alike) and says what
// it did, field by field. Fields are left alone when the whole line was
// converted already.
func decodeLegacyFields(rec *Record, force legacy.Encoding) (notes []legacyNote, converted bool) {
	if rec.legacyLine != nil {
		r := rec.legacyLine
		return []legacyNote{{outcomeConverted, fmt.Sprintf("record: %v", r)}}, true
	}
	type field struct {
		name string
		s    *string
	}
	fields := []field{{"title", &rec.Title}, {"summary", &rec.Summary}, {"body", &rec.Body},
		{"author", &rec.Author}, {"category", &rec.Category}}
	for i := range rec.Tags {
		fields = append(fields, field{"tags", &rec.Tags[i]})
	}
	for i := range rec.Captions {
		fields = append(fields, field{"captions", &rec.Captions[i]})
	}
	texts := make([]string, len(fields))
	for i, f := range fields {
		texts[i] = *f.s
	}
	for i, r := range legacy.DecodeFields(texts, force) {
		f := fields[i]
		switch {
		case r.Converted:
			*f.s, converted = r.Text, true
			notes = append(notes, legacyNote{outcomeConverted, fmt.Sprintf("%s: %v", f.name, r)})
		case r.Suspicious():
			notes = append(notes, legacyNote{outcomeWarning, fmt.Sprintf("%s: %v", f.name, r)})
		}
	}
	return notes, converted
}
