package legacy

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test archive in testdata/legacy mixes Unicode, TCVN3, VNI and VISCII
// files, and fields in one JSON Lines file, as old archives do. It is
// written from the samples by `go test ./internal/legacy -run TestArchive
// -update`; testdata/archive.golden.json records what kho makes of every file and field.

var update = flag.Bool("update", false, "rewrite testdata/legacy and the golden files")

const archiveDir = "../../testdata/legacy"

// archivePage is one page file of the archive.
type archivePage struct {
	file   string
	enc    Encoding
	sample sample
	date   string
	html   bool
}

var archivePages = []archivePage{
	{"1999-thu-vien.txt", TCVN3, samples[0], "Thứ hai, 15/3/1999", false},
	{"2001-mua-lu.html", VNI, samples[1], "Thứ năm, 8/11/2001", true},
	{"2003-cho-hoa.txt", VISCII, samples[2], "Chủ nhật, 26/1/2003", false},
	{"2024-bong-da.txt", Unicode, samples[4], "Thứ bảy, 7/12/2024", false},
}

// render lays a page out as the ingester's text and HTML readers expect.
func (p archivePage) render(title, body string) string {
	if !p.html {
		return strings.ReplaceAll(title+"\n"+p.date+"\n\n"+body+"\n", "\n", "\r\n")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\n<title>%s</title></head>\n<body><font face=\"VNI-Times\">\n<h1>%s</h1>\n<p class=\"date\">%s</p>\n", title, title, p.date)
	for _, para := range strings.Split(body, "\n\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", para)
	}
	b.WriteString("</font></body></html>\n")
	return b.String()
}

func (p archivePage) bytes() []byte {
	text := typed(p.render(p.sample.title, p.sample.body), p.enc)
	b, _ := Encode(text, p.enc)
	return b
}

// want is the page kho should read: the sample, with TCVN3's case loss.
func (p archivePage) want() string {
	title, body := p.sample.title, p.sample.body
	if p.enc == TCVN3 {
		parts := strings.SplitN(p.sample.tcvn3Text(), "\n\n", 2)
		title, body = parts[0], parts[1]
	}
	return typed(p.render(title, body), p.enc)
}

// archiveField is one field of a record of records.jsonl: its Unicode text
// and how it was stored (enc, read back as Windows-1252 or Latin-1).
type archiveField struct {
	name, text string
	enc        Encoding
	latin1     bool
	kept       bool // looks legacy, converts badly: kept and reported
}

type archiveRecord struct {
	id     string
	fields []archiveField
}

const germanLead = "Größe, Übermaß und Gemütlichkeit: für Müßiggänger süß."

var archiveRecords = []archiveRecord{
	{"tv-1", []archiveField{{"title", samples[5].title, Unicode, false, false}, {"body", samples[5].body, Unicode, false, false}}},
	{"tv-2", []archiveField{
		{"title", samples[3].title, TCVN3, false, false},
		{"summary", "Học sinh vùng cao vẫn đến lớp đều đặn.", Unicode, false, false},
		{"body", samples[3].body, VNI, false, false},
		{"author", "Trần Quốc Hưng", TCVN3, false, false},
		{"category", "Giáo dục", VNI, false, false},
	}},
	{"tv-3", []archiveField{{"title", samples[6].title, VISCII, true, false}, {"body", typed(samples[6].body, VISCII), VISCII, true, false}}},
	{"tv-4", []archiveField{{"title", "Ghi chép từ Zürich", Unicode, false, false}, {"body", germanLead, Unicode, false, true}}},
	{"tv-5", []archiveField{{"title", samples[1].title, TCVN3, false, false},
		{"body", strings.SplitN(samples[1].body, "\n\n", 2)[0] + " (Nguồn: Thông tấn xã Việt Nam)", TCVN3, false, false}}},
}

// stored is the field's value as it sits in the JSON file.
func (f archiveField) stored() string {
	if f.enc == Unicode {
		return f.text
	}
	if f.enc == TCVN3 && strings.Contains(f.text, "Nguồn:") {
		// a Unicode credit line appended to a TCVN3 body
		i := strings.Index(f.text, " (Nguồn:")
		b, _ := Encode(f.text[:i], TCVN3)
		return CP1252(b) + f.text[i:]
	}
	b, _ := Encode(f.text, f.enc)
	if f.latin1 {
		return latin1(b)
	}
	return CP1252(b)
}

func jsonLine(pairs ...string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(pairs[i])
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		enc.Encode(pairs[i+1])
		fmt.Fprintf(&b, "%s: %s", k, bytes.TrimSpace(v.Bytes()))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func (r archiveRecord) line() []byte {
	pairs := []string{"id", r.id, "source", "baocu.example.vn"}
	for _, f := range r.fields {
		pairs = append(pairs, f.name, f.stored())
	}
	return jsonLine(pairs...)
}

// rawRecord is a line of a database dump in TCVN3 bytes, JSON punctuation
// and all: not UTF-8, so it is converted as a whole before JSON is parsed.
func rawRecordLine() []byte {
	b, _ := Encode(string(jsonLine("id", "tv-raw-1", "source", "baocu.example.vn", "title", samples[0].title, "body", samples[0].body)), TCVN3)
	return b
}

// outcome is what kho makes of one file or field: the golden file's entries.
type outcome struct {
	File      string `json:"file"`
	Record    string `json:"record,omitempty"`
	Field     string `json:"field,omitempty"`
	Encoding  string `json:"encoding"`
	Converted bool   `json:"converted"`
	Reported  bool   `json:"reported"`
	Text      string `json:"text"`
}

func outcomeOf(file, record, field string, r Result) outcome {
	enc := r.Encoding.String()
	if !r.Converted {
		enc = Unicode.String()
	}
	return outcome{file, record, field, enc, r.Converted, r.Report(), r.Text}
}

func TestArchive(t *testing.T) {
	if *update {
		writeArchive(t)
	}
	var got []outcome
	for _, p := range archivePages {
		b := readFile(t, p.file)
		r := DecodeBytes(b, Auto)
		got = append(got, outcomeOf(p.file, "", "", r))
		if p.enc != Unicode && (!r.Converted || r.Encoding != p.enc) || p.enc == Unicode && r.Report() {
			t.Errorf("%s: %v, want %v", p.file, r, p.enc)
		}
		if r.Text != p.want() {
			t.Errorf("%s:\n got %q\nwant %q", p.file, r.Text, p.want())
		}
	}
	lines := bytes.Split(bytes.TrimSpace(readFile(t, "records.jsonl")), []byte("\n"))
	if len(lines) != len(archiveRecords) {
		t.Fatalf("records.jsonl has %d lines, want %d", len(lines), len(archiveRecords))
	}
	for i, rec := range archiveRecords {
		var fields map[string]string
		if err := json.Unmarshal(lines[i], &fields); err != nil {
			t.Fatalf("records.jsonl line %d: %v", i+1, err)
		}
		for _, f := range rec.fields {
			r := DecodeField(fields[f.name], Auto)
			got = append(got, outcomeOf("records.jsonl", rec.id, f.name, r))
			switch {
			case f.kept:
				if r.Converted || !r.Report() || r.Text != f.text {
					t.Errorf("%s %s: %v, want kept and reported", rec.id, f.name, r)
				}
			case f.enc == Unicode:
				if r.Report() || r.Text != f.text {
					t.Errorf("%s %s: %v, want left alone", rec.id, f.name, r)
				}
			case !r.Converted || r.Encoding != f.enc || !strings.EqualFold(r.Text, f.text):
				t.Errorf("%s %s: %v %q, want %v %q", rec.id, f.name, r, r.Text, f.enc, f.text)
			}
		}
	}
	raw := readFile(t, "raw-records.jsonl")
	r := DecodeBytes(bytes.TrimSpace(raw), Auto)
	got = append(got, outcomeOf("raw-records.jsonl", "", "", r))
	var rec struct{ Title, Body string }
	if err := json.Unmarshal([]byte(r.Text), &rec); err != nil || !r.Converted || r.Encoding != TCVN3 || rec.Title != samples[0].title {
		t.Errorf("raw-records.jsonl: %v, %v, title %q", r, err, rec.Title)
	}

	golden := filepath.Join("testdata", "archive.golden.json")
	gotJSON, _ := json.MarshalIndent(got, "", "  ")
	gotJSON = append(gotJSON, '\n')
	if *update {
		if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(gotJSON, want) {
		t.Errorf("outcomes differ from %s; run with -update and review the diff", golden)
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(archiveDir, name))
	if err != nil {
		t.Fatalf("%v (run with -update to write the archive)", err)
	}
	return b
}

func writeArchive(t *testing.T) {
	t.Helper()
	if err := os.MkdirAll(archiveDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(archiveDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range archivePages {
		write(p.file, p.bytes())
	}
	var jl []byte
	for _, r := range archiveRecords {
		jl = append(jl, r.line()...)
	}
	write("records.jsonl", jl)
	write("raw-records.jsonl", rawRecordLine())
}
