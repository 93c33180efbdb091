package ingest

import (
	"context"
	"strings"
	"testing"

	"kho/internal/article"
	"kho/internal/legacy"
)

// TestLegacyArchive ingests testdata/legacy, whose files and fields mix
// Unicode, TCVN3, VNI and VISCII: every article comes out in Unicode, the
// report names each converted field with its encoding and confidence, and
// the German paragraph that only looks legacy is kept and reported.
func TestLegacyArchive(t *testing.T) {
	sink := newMemSink()
	sum, report := ingestInto(t, context.Background(), sink, Options{}, "../../testdata/legacy")
	titles := map[string]string{
		"legacy:1999-thu-vien":      "Thư viện tỉnh số hóa kho báo cũ",
		"legacy:2001-mua-lu":        "Mưa lớn kéo dài, nước sông Hương dâng cao",
		"legacy:2003-cho-hoa":       "Chợ hoa ngày giáp Tết",
		"legacy:2024-bong-da":       "VIỆT NAM NGƯỢC DÒNG THẮNG 2-1 Ở PHÚT BÙ GIỜ",
		"baocu.example.vn:tv-2":     "Điểm trường giữa đại ngàn Đắk Lắk",
		"baocu.example.vn:tv-3":     "Chuyện làng ven núi",
		"baocu.example.vn:tv-raw-1": "Thư viện tỉnh số hóa kho báo cũ",
	}
	for key, want := range titles {
		a, ok := sink.docs[key]
		if !ok {
			t.Errorf("no article %s; have %v", key, keys(sink.docs))
			continue
		}
		if a.Title != want {
			t.Errorf("%s: title %q, want %q", key, a.Title, want)
		}
	}
	if a := sink.docs["baocu.example.vn:tv-2"]; a != nil && (a.Author != "Trần Quốc Hưng" || a.Category != "Giáo dục" || !strings.HasPrefix(a.Body, "Điểm trường Buôn Đôn")) {
		t.Errorf("tv-2: author %q, category %q, body %.40q", a.Author, a.Category, a.Body)
	}
	if a := sink.docs["legacy:1999-thu-vien"]; a != nil && !strings.Contains(a.Body, "nguồn tư liệu quý") {
		t.Errorf("TCVN3 ư (U+00AD) lost: %.300q", a.Body)
	}
	var converted, kept []string
	for _, l := range report {
		switch l.Outcome {
		case outcomeConverted:
			converted = append(converted, l.File+" "+l.Key+" "+l.Reason)
		case outcomeWarning:
			if strings.Contains(l.Reason, "looks legacy") {
				kept = append(kept, l.Key+" "+l.Reason)
			}
		case outcomeRepaired:
			t.Errorf("repaired: %+v", l)
		}
	}
	for _, want := range []string{"1999-thu-vien.txt legacy:1999-thu-vien title: converted from tcvn3",
		"2001-mua-lu.html legacy:2001-mua-lu body: converted from vni", "2003-cho-hoa.txt legacy:2003-cho-hoa body: converted from viscii",
		"tv-2 title: converted from tcvn3", "tv-2 body: converted from vni", "tv-3 body: converted from viscii", "tv-raw-1 record: converted from tcvn3"} {
		found := false
		for _, c := range converted {
			found = found || strings.Contains(c, want)
		}
		if !found {
			t.Errorf("report has no %q; converted lines:\n%s", want, strings.Join(converted, "\n"))
		}
	}
	if len(kept) != 1 || !strings.Contains(kept[0], "tv-4 body") {
		t.Errorf("kept and reported: %q, want the German body of tv-4", kept)
	}
	if sum.Converted != len(converted) || sum.Converted < 15 {
		t.Errorf("summary: %d converted fields, report has %d", sum.Converted, len(converted))
	}
}

// TestLegacyForcedEncoding: --encoding overrides detection.
func TestLegacyForcedEncoding(t *testing.T) {
	sink := newMemSink()
	ingestInto(t, context.Background(), sink, Options{Encoding: legacy.Unicode}, "../../testdata/legacy/records.jsonl")
	if a := sink.docs["baocu.example.vn:tv-2"]; a == nil || !strings.HasPrefix(a.Title, "§iÓm") {
		t.Errorf("--encoding utf8 converted anyway: %+v", a)
	}
}

func keys(m map[string]*article.Article) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
