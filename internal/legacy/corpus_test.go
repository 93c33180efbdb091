package legacy

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"kho/internal/shared"
)

// corpusFiles are the six files of ../shared/corpus.
var corpusFiles = []string{"baomoi", "dantri", "tuoitre", "24h", "vmds", "vims"}

// corpusField is one text field of a corpus record.
type corpusField struct {
	file, id, name, text string
}

// readCorpus calls fn for the title, summary and body of every record of
// every corpus file, or skips when ../shared is absent.
func readCorpus(tb testing.TB, fn func(corpusField)) {
	tb.Helper()
	readCorpusFiles(tb, corpusFiles, fn)
}

func readCorpusFiles(tb testing.TB, files []string, fn func(corpusField)) {
	tb.Helper()
	readCorpusRecords(tb, files, func(file string, rec corpusRecord) {
		for _, fld := range []struct{ name, text string }{{"title", rec.Title}, {"summary", rec.Summary}, {"body", rec.Body}} {
			if fld.text != "" {
				fn(corpusField{file, rec.ID, fld.name, fld.text})
			}
		}
	})
}

// corpusRecord holds the text fields of a corpus record that ingest reads.
type corpusRecord struct {
	ID, Title, Summary, Body, Author, Category string
	Tags                                       []string
}

// fields lists the record's text fields in the order ingest passes them to
// DecodeFields, with their names.
func (r corpusRecord) fields() (names, texts []string) {
	names = []string{"title", "summary", "body", "author", "category"}
	texts = []string{r.Title, r.Summary, r.Body, r.Author, r.Category}
	for _, t := range r.Tags {
		names, texts = append(names, "tags"), append(texts, t)
	}
	return names, texts
}

func readCorpusRecords(tb testing.TB, files []string, fn func(file string, rec corpusRecord)) {
	tb.Helper()
	dir := filepath.Join(shared.Dir(tb), "corpus")
	for _, name := range files {
		f, err := os.Open(filepath.Join(dir, name+".jsonl.gz"))
		if err != nil {
			tb.Fatalf("open corpus: %v", err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatalf("read %s: %v", name, err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			var rec corpusRecord
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			fn(name, rec)
		}
		if err := sc.Err(); err != nil {
			tb.Fatalf("read %s: %v", name, err)
		}
		zr.Close()
		f.Close()
	}
}

// TestCorpusNoFalseConversion runs detection as ingest does (DecodeFields)
// over every text field — title, summary, body, author, category, tags — of
// every record of the real, Unicode corpus: not one may be converted.
func TestCorpusNoFalseConversion(t *testing.T) {
	records, fields, scored, kept, converted := 0, 0, 0, 0, 0
	readCorpusRecords(t, corpusFiles, func(file string, rec corpusRecord) {
		records++
		names, texts := rec.fields()
		for i, r := range DecodeFields(texts, Auto) {
			if texts[i] == "" {
				continue
			}
			fields++
			if !looksUnicode(texts[i]) {
				scored++
			}
			switch {
			case r.Converted:
				converted++
				if converted <= 10 {
					t.Errorf("%s %s %s converted: %v\n  in:  %.300q\n  out: %.300q", file, rec.ID, names[i], r, texts[i], r.Text)
				}
			case r.Note != "":
				kept++
				if kept <= 10 {
					t.Logf("%s %s %s kept: %v\n  %.200q", file, rec.ID, names[i], r, texts[i])
				}
			}
			if r.Text != texts[i] && !r.Converted {
				t.Errorf("%s %s %s: text changed without a conversion", file, rec.ID, names[i])
			}
		}
	})
	t.Logf("%d records, %d fields: %d past the quick scan, %d converted, %d reported as suspicious", records, fields, scored, converted, kept)
	if converted > 0 {
		t.Errorf("%d real Unicode fields converted, want 0", converted)
	}
}

// shape is how legacy text reaches kho: raw bytes, or those bytes read as
// Windows-1252 or Latin-1 and saved as UTF-8.
type shape struct {
	name   string
	decode func(b []byte) Result
}

var (
	shapeBytes  = shape{"bytes", func(b []byte) Result { return DecodeBytes(b, Auto) }}
	shapeCP1252 = shape{"cp1252", func(b []byte) Result { return DecodeField(CP1252(b), Auto) }}
	shapeLatin1 = shape{"latin1", func(b []byte) Result { return DecodeField(latin1(b), Auto) }}
)

// shapesOf lists the shapes evaluated for e. Latin-1 and Windows-1252 differ
// only on bytes 0x80–0x9F, which only VISCII uses for letters.
func shapesOf(e Encoding) []shape {
	if e == VISCII {
		return []shape{shapeBytes, shapeCP1252, shapeLatin1}
	}
	return []shape{shapeBytes, shapeCP1252}
}

func latin1(b []byte) string {
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}

// project is what a perfect round trip through e gives: s in NFC with every
// rune e cannot write replaced by '?'.
func project(s string, e Encoding) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	for _, r := range s {
		if _, ok := appendLegacy(nil, r, e); ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

var legacyStride = flag.Int("legacy.stride", 0, "evaluate every n-th corpus field (default 5, or 25 with -short; 1 for the BENCHMARKS.md figures)")

// evalCounts are the outcomes for one encoding and shape.
type evalCounts struct {
	fields, long           int // legacy fields that differ from their Unicode text; of them, ≥ 20 letters
	detected, detectedLong int // converted with the right encoding
	kept                   int // reported as suspicious and kept
	exact, folded          int // of the detected: round trip equal; equal ignoring case
	asOther                int // converted with another encoding
}

// TestCorpusLegacyDetection writes corpus fields in each legacy encoding
// and shape, detects and converts them back, and measures recall,
// precision and exact round trips; BENCHMARKS.md has the figures of
// `go test ./internal/legacy -run TestCorpusLegacyDetection -v -legacy.stride=1`.
func TestCorpusLegacyDetection(t *testing.T) {
	stride := *legacyStride
	if stride <= 0 {
		stride = 5
		if testing.Short() {
			stride = 25
		}
	}
	counts := map[Encoding]map[string]*evalCounts{}
	detectedAs := map[Encoding]int{} // conversions per encoding, right or wrong
	for _, e := range Legacy {
		counts[e] = map[string]*evalCounts{}
		for _, s := range shapesOf(e) {
			counts[e][s.name] = &evalCounts{}
		}
	}
	n, sampled, unicodeConverted, shown := 0, 0, 0, 0
	readCorpus(t, func(f corpusField) {
		n++
		if n%stride != 0 {
			return
		}
		sampled++
		if r := DecodeField(f.text, Auto); r.Converted {
			unicodeConverted++
			detectedAs[r.Encoding]++
		}
		letters := countLetters(f.text)
		for _, e := range Legacy {
			b, _ := Encode(f.text, e)
			if CP1252(b) == norm.NFC.String(f.text) {
				continue // nothing legacy about it: ASCII, or only VISCII's Latin-1 letters
			}
			want := project(f.text, e)
			for _, s := range shapesOf(e) {
				c := counts[e][s.name]
				c.fields++
				if letters >= 20 {
					c.long++
				}
				r := s.decode(b)
				if r.Converted {
					detectedAs[r.Encoding]++
				}
				switch {
				case r.Converted && r.Encoding == e:
					c.detected++
					if letters >= 20 {
						c.detectedLong++
					}
					if r.Text == want {
						c.exact++
					}
					if strings.EqualFold(r.Text, want) {
						c.folded++
					} else if shown < 30 {
						shown++
						t.Logf("%v/%s %s %s %s: round trip differs\n got: %.200q\nwant: %.200q", e, s.name, f.file, f.id, f.name, r.Text, want)
					}
				case r.Converted:
					c.asOther++
					if shown < 30 {
						shown++
						t.Logf("%v/%s %s %s %s taken for %v: %.120q", e, s.name, f.file, f.id, f.name, r.Encoding, CP1252(b))
					}
				case r.Note != "":
					c.kept++
				}
			}
		}
	})
	t.Logf("every %d-th of %d corpus fields: %d Unicode fields, %d of them converted", stride, n, sampled, unicodeConverted)
	t.Logf("| encoding | shape | fields | recall | recall, ≥ 20 letters | kept and reported | taken for another | precision | exact round trip | ignoring case |")
	t.Logf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, e := range Legacy {
		tp := 0
		for _, c := range counts[e] {
			tp += c.detected
		}
		precision := ratio(tp, detectedAs[e])
		t.Logf("%v: %d conversions, %d of them wrong (another encoding or Unicode)", e, detectedAs[e], detectedAs[e]-tp)
		for _, s := range shapesOf(e) {
			c := counts[e][s.name]
			t.Logf("| %v | %s | %d | %.4f | %.4f | %d | %d | %.5f | %.4f | %.4f |", e, s.name, c.fields,
				ratio(c.detected, c.fields), ratio(c.detectedLong, c.long), c.kept, c.asOther, precision,
				ratio(c.exact, c.detected), ratio(c.folded, c.detected))
			if r := ratio(c.detectedLong, c.long); r < 0.99 {
				t.Errorf("%v/%s: recall on fields of ≥ 20 letters %.4f, want ≥ 0.99", e, s.name, r)
			}
			if r := ratio(c.folded, c.detected); r < 0.99 {
				t.Errorf("%v/%s: round trip (ignoring case) %.4f, want ≥ 0.99", e, s.name, r)
			}
			if r := ratio(c.exact, c.detected); e != TCVN3 && r < 0.99 {
				t.Errorf("%v/%s: exact round trip %.4f, want ≥ 0.99", e, s.name, r)
			}
		}
		if precision < 0.999 {
			t.Errorf("%v: precision %.4f, want ≥ 0.999", e, precision)
		}
	}
	if unicodeConverted > 0 {
		t.Errorf("%d real Unicode fields converted, want 0", unicodeConverted)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
