package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
	"kho/internal/shared"
)

// memSink is a Sink that upserts into a map, reporting outcomes like
// index.Writer does.
type memSink struct {
	docs    map[string]*article.Article
	outcome func(string, article.Outcome)
	adds    int
}

func newMemSink() *memSink { return &memSink{docs: map[string]*article.Article{}} }

func (s *memSink) Add(_ context.Context, a *article.Article) error {
	s.adds++
	old, ok := s.docs[a.ID]
	switch {
	case !ok:
		s.outcome(a.ID, article.Added)
	case reflect.DeepEqual(old, a):
		s.outcome(a.ID, article.Unchanged)
		return nil
	default:
		s.outcome(a.ID, article.Updated)
	}
	s.docs[a.ID] = a
	return nil
}

func (s *memSink) Flush(context.Context) error { return nil }

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// ingestInto runs an ingest of paths into sink and returns the summary and
// the report's lines.
func ingestInto(t *testing.T, ctx context.Context, sink *memSink, opts Options, paths ...string) (*Summary, []ReportLine) {
	t.Helper()
	var report bytes.Buffer
	opts.Report = &report
	if opts.Location == nil {
		opts.Location = hcmZone(t)
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	in := New(opts)
	sink.outcome = in.Outcome
	sum, err := in.Run(ctx, paths, sink)
	if err != nil {
		t.Fatal(err)
	}
	var lines []ReportLine
	dec := json.NewDecoder(&report)
	for dec.More() {
		var l ReportLine
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	return sum, lines
}

func hcmZone(t testing.TB) *time.Location { return mustZone(t, "Asia/Ho_Chi_Minh") }

func TestSeedPage(t *testing.T) {
	seed, _ := filepath.Glob(filepath.Join(shared.Dir(t), "seed", "*.txt"))
	if len(seed) != 1 {
		t.Fatalf("want one seed page, found %v", seed)
	}
	raw, err := os.ReadFile(seed[0])
	if err != nil {
		t.Fatal(err)
	}
	sink := newMemSink()
	sum, _ := ingestInto(t, context.Background(), sink, Options{}, seed[0])
	if sum.Added != 1 || len(sink.docs) != 1 {
		t.Fatalf("summary %+v, %d articles; want one added", sum, len(sink.docs))
	}
	var a *article.Article
	for _, d := range sink.docs {
		a = d
	}
	firstLine, _, _ := strings.Cut(string(raw), "\n")
	if a.Title != strings.TrimSpace(firstLine) {
		t.Errorf("title = %q, want the first line %q", a.Title, firstLine)
	}
	want := time.Date(2024, 6, 26, 0, 0, 0, 0, hcmZone(t))
	if !a.Published.Equal(want) || a.Published.Location().String() != "Asia/Ho_Chi_Minh" || a.PublishedFrom != article.FromText {
		t.Errorf("published %s from %q, want %s from the text", a.Published, a.PublishedFrom, want)
	}
	// Every headline of the "Tin khác" list, and the list itself, stays out of the body.
	_, tinKhac, ok := strings.Cut(string(raw), "\nTin khác\n")
	if !ok {
		t.Fatal("the seed page has no Tin khác list")
	}
	headlines := 0
	for _, l := range strings.Split(tinKhac, "\n") {
		if l = strings.TrimSpace(l); l == "" || reListingMeta.MatchString(l) {
			continue
		}
		headlines++
		if strings.Contains(a.Body, l) {
			t.Errorf("body contains the Tin khác headline %q", l)
		}
		if !contains(a.ReadingList, l) {
			t.Errorf("reading list lacks the Tin khác headline %q", l)
		}
	}
	if headlines < 5 || strings.Contains(a.Body, "Tin khác") || strings.Contains(a.Body, "Nhịp sống Thủ đô") {
		t.Errorf("found %d headlines; body ends %q", headlines, a.Body[max(0, len(a.Body)-200):])
	}
	found := false
	for _, c := range a.Captions {
		found = found || strings.Contains(c, "đội thi phường Quảng An")
	}
	if !found {
		t.Errorf("captions %q lack the one about đội thi phường Quảng An", a.Captions)
	}
	if strings.Contains(a.Body, "![]()") || strings.Contains(a.Body, "| ") {
		t.Errorf("body keeps image placeholders or caption lines")
	}
	if a.Source != "seed" || !strings.HasPrefix(a.ID, "seed:") {
		t.Errorf("source %q, key %q; want the folder's name", a.Source, a.ID)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSampleArchive ingests testdata/archive and checks what a user sees:
// every record accounted for, the report naming file and line.
func TestSampleArchive(t *testing.T) {
	sink := newMemSink()
	sum, report := ingestInto(t, context.Background(), sink, Options{}, "../../testdata/archive")
	skipped := map[string]int{"invalid JSON": 3, "no title and no body": 1, "truncated or corrupt file": 1}
	if !reflect.DeepEqual(sum.Skipped, skipped) {
		t.Errorf("skipped %v, want %v", sum.Skipped, skipped)
	}
	if sum.Files != 23 || sum.Repaired != 1 || sum.Ignored != 1 || sum.Warnings != 4 {
		t.Errorf("files %d, repaired %d, ignored %d, warnings %d; want 23, 1, 1, 4", sum.Files, sum.Repaired, sum.Ignored, sum.Warnings)
	}
	// Records read = stored + skipped records; the broken JSON file and the
	// truncated gzip are skipped files, not records.
	if got := sum.Added + sum.Updated + sum.Unchanged + sum.SkippedTotal() - 2; got != sum.Read {
		t.Errorf("read %d records but accounted for %d (%+v)", sum.Read, got, sum)
	}
	if sum.Updated != 1 || len(sink.docs) != sum.Added {
		t.Errorf("updated %d (want 1: the duplicate key), %d articles for %d added", sum.Updated, len(sink.docs), sum.Added)
	}
	years, sections := map[int]bool{}, map[string]bool{}
	for _, a := range sink.docs {
		if !a.Published.IsZero() {
			years[a.Published.Year()] = true
		}
		sections[a.Category] = true
	}
	if len(years) < 5 || len(sections) < 5 {
		t.Errorf("%d years and %d sections, want at least 5 of each", len(years), len(sections))
	}
	want := []ReportLine{
		{File: "../../testdata/archive/README.md", Outcome: "ignored", Reason: "not an archive file"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 2, Outcome: "skipped", Reason: "invalid JSON: unexpected EOF"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 3, Key: "bad-records:bad-003", Outcome: "skipped", Reason: "no title and no body"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 4, Key: "bad-records:bad-004", Outcome: "repaired", Reason: "invalid UTF-8 replaced with U+FFFD"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 5, Key: "bad-records:bad-005", Outcome: "warning", Reason: "date 1850-01-01 is before 1900 or in the future; left unknown"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 6, Key: "bad-records:bad-006", Outcome: "warning", Reason: `unrecognized date: "hôm qua"; date left unknown`},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 7, Key: "bad-records:bad-001", Outcome: "warning", Reason: "duplicate key: replaces the record at ../../testdata/archive/bad/bad-records.jsonl:1"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 8, Outcome: "skipped", Reason: "invalid JSON: not a JSON object"},
		{File: "../../testdata/archive/bad/bad-records.jsonl", Line: 9, Key: "bad-records:bad-009", Outcome: "warning", Reason: "date 2099-01-01 is before 1900 or in the future; left unknown"},
		{File: "../../testdata/archive/bad/broken.json", Line: 3, Outcome: "skipped", Reason: `invalid JSON: invalid character '"' after object key:value pair at byte 233`},
		{File: "../../testdata/archive/bad/truncated.jsonl.gz", Line: 22, Outcome: "skipped", Reason: "truncated or corrupt: unexpected EOF"},
	}
	if !reflect.DeepEqual(report, want) {
		t.Errorf("report:\n%s\nwant:\n%s", fmtLines(report), fmtLines(want))
	}
	if a := sink.docs["bad-records:bad-001"]; a == nil || !strings.Contains(a.Title, "bản sửa") {
		t.Errorf("duplicate key: the later record should win, got %+v", a)
	}

	// Ingesting the same archive again changes nothing.
	again, _ := ingestInto(t, context.Background(), sink, Options{}, "../../testdata/archive")
	if again.Added != 0 || again.Unchanged != sum.Added-1 || again.Updated != 2 {
		// The duplicate key is the one exception: its first record updates, then the second.
		t.Errorf("re-ingest: %+v", again)
	}
}

func fmtLines(lines []ReportLine) string {
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "  %+v\n", l)
	}
	return b.String()
}

func TestConvert(t *testing.T) {
	sink := newMemSink()
	ingestInto(t, context.Background(), sink, Options{}, "../../testdata/archive/jsonl", "../../testdata/archive/json")
	get := func(key string) *article.Article {
		a := sink.docs[key]
		if a == nil {
			t.Fatalf("no article %q", key)
		}
		return a
	}
	hcm := hcmZone(t)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"NFD title is NFC", get("tinbaomau.vn:ts-003").Title, "Người dân vùng cao đón Tết sớm trong nhà mới"},
		{"zero-width and NBSP", get("tinbaomau.vn:ts-004").Summary, "Hệ thống camera mới giúp phát hiện xe vượt đèn đỏ và lấn làn."},
		{"Ð typed for Đ", strings.HasPrefix(get("tinbaomau.vn:ts-004").Body, "Đại diện Trung tâm"), true},
		{"saved notice stripped", strings.HasPrefix(get("tinbaomau.vn:ts-006").Body, "Công trình được khởi công"), true},
		{"source link stripped", strings.HasSuffix(get("tinbaomau.vn:ts-006").Body, "trong năm năm."), true},
		{"reading list out of body", strings.Contains(get("tinbaomau.vn:ts-007").Body, "Tin liên quan"), false},
		{"reading list kept apart", get("tinbaomau.vn:ts-007").ReadingList, []string{"Hồ điều hòa mới ở phía nam thành phố sắp hoàn thành", "Công ty thoát nước ra quân nạo vét cống trước mùa mưa"}},
		{"ẹ + circumflex is ệ", strings.Contains(get("kinhte.baomau.vn:kt/003").Body, "Ngành nông nghiệp khuyến cáo"), true},
		{"Unix seconds", get("kinhte.baomau.vn:kt/001").Published.Equal(time.Date(2019, 10, 21, 11, 0, 0, 0, hcm)), true},
		{"Unix milliseconds", get("kinhte.baomau.vn:kt/002").Published.Equal(time.Date(2020, 4, 15, 15, 10, 0, 0, hcm)), true},
		{"keywords split", get("kinhte.baomau.vn:kt/001").Tags, []string{"cà phê", "Tây Nguyên", "nông sản"}},
		{"content.text", strings.HasPrefix(get("kinhte.baomau.vn:kt/001").Body, "Các thương lái"), true},
		{"word segmentation undone", get("van-hoa:vh-002").Title, "Phục dựng nghề làm giấy dó ở làng cổ"},
		{"word segmentation undone, punctuation", get("van-hoa:vh-002").Summary, "Một nhóm nghệ nhân trẻ đang khôi phục kỹ thuật làm giấy dó thủ công (Hà Nội)."},
		{"old tone placement kept as published", get("suckhoe.baomau.vn:sk-004").Title, "Khoẻ mạnh mùa nắng nóng: uống đủ nước, tránh ra đường buổi trưa"},
		{"Vietnamese date in archive zone", get("giaoduc.baomau.vn:gd-002").Published.Equal(time.Date(2020, 7, 9, 11, 15, 0, 0, hcm)), true},
		{"body array joined", strings.Count(get("thethao.baomau.vn:tt-001").Body, "\n\n"), 2},
		{"published from metadata", get("thethao.baomau.vn:tt-001").PublishedFrom, article.FromMetadata},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
}

func TestSourceAndKeyFallbacks(t *testing.T) {
	c := converter{loc: hcmZone(t), now: testNow}
	tests := []struct {
		name    string
		rec     Record
		flag    string
		wantKey string
	}{
		{"record source and id", Record{ID: "1", Source: "www.Dantri.com.vn", Title: "t"}, "", "dantri.com.vn:1"},
		{"URL host", Record{ID: "1", URL: "https://www.tuoitre.vn/a.htm", Title: "t"}, "", "tuoitre.vn:1"},
		{"--source flag", Record{ID: "1", Title: "t", sourceGuess: "file"}, "lưu trữ", "lưu trữ:1"},
		{"file name", Record{ID: "1", Title: "t", sourceGuess: "vims"}, "", "vims:1"},
		{"URL hash", Record{URL: "https://a.vn/x", Title: "t"}, "", "a.vn:u" + shortKey("https://a.vn/x")},
		{"page file name", Record{Title: "t", sourceGuess: "seed", defaultID: "000_abc"}, "", "seed:000_abc"},
	}
	for _, tt := range tests {
		c.source = tt.flag
		got := c.convert(tt.rec)
		if got.key != tt.wantKey {
			t.Errorf("%s: key %q, want %q", tt.name, got.key, tt.wantKey)
		}
	}
	// Without id or URL the key hashes title, date and body: stable across runs.
	r := Record{Title: "t", Body: "b", Published: "2024-06-26", sourceGuess: "stdin"}
	k1, k2 := c.convert(r).key, c.convert(r).key
	r.Body = "b2"
	if k1 != k2 || k1 == c.convert(r).key || !strings.HasPrefix(k1, "stdin:h") {
		t.Errorf("hash keys %q %q %q", k1, k2, c.convert(r).key)
	}
}

func shortKey(u string) string {
	return strings.TrimPrefix(article.Key("", "", u, "", "", ""), ":u")
}

func TestStdin(t *testing.T) {
	sink := newMemSink()
	in := `{"title": "Một", "body": "một"}` + "\n" + `{"title": "Hai", "body": "hai"}` + "\n"
	sum, _ := ingestInto(t, context.Background(), sink, Options{Stdin: strings.NewReader(in), Source: "nhap.vn"}, "-")
	if sum.Added != 2 || sum.Files != 1 {
		t.Fatalf("summary %+v", sum)
	}
	for k := range sink.docs {
		if !strings.HasPrefix(k, "nhap.vn:h") {
			t.Errorf("key %q, want a hash key under the --source", k)
		}
	}
}

func TestUnreadablePaths(t *testing.T) {
	sink := newMemSink()
	sum, report := ingestInto(t, context.Background(), sink, Options{}, "does/not/exist.jsonl", "../../testdata/archive/jsonl/thoi-su.jsonl")
	if sum.Added != 8 || sum.Skipped["unreadable file"] != 1 || len(report) != 1 || report[0].File != "does/not/exist.jsonl" {
		t.Errorf("summary %+v, report %+v", sum, report)
	}
}
