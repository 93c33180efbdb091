package index

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"

	"kho/internal/shared"
	"kho/internal/vntext"
)

func analyzer(t *testing.T, name string) analysis.Analyzer {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		t.Fatalf("analyzer %s: %v", name, err)
	}
	return a
}

// stream renders a token stream as "term@position[start:end]" items.
func stream(ts analysis.TokenStream) string {
	var b []string
	for _, t := range ts {
		b = append(b, fmt.Sprintf("%s@%d[%d:%d]", t.Term, t.Position, t.Start, t.End))
	}
	return strings.Join(b, " ")
}

func termsOf(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func TestAnalyzerStreams(t *testing.T) {
	exact, folded := analyzer(t, ExactAnalyzer), analyzer(t, FoldedAnalyzer)
	tests := []struct {
		in, exact, folded string
	}{
		{"", "", ""},
		{
			"Hoà bình, thuỷ lợi!",
			"hòa@1[0:4] bình@2[5:10] thủy@3[12:18] lợi@4[19:24]",
			"hoa@1[0:4] binh@2[5:10] thuy@3[12:18] loi@4[19:24]",
		},
		{
			"Người dân TP.HCM đi bầu cử",
			"người@1[0:8] dân@2[9:13] tp@3[14:16] hcm@4[17:20] đi@5[21:24] bầu@6[25:30] cử@7[31:35]",
			"nguoi@1[0:8] dan@2[9:13] tp@3[14:16] hcm@4[17:20] di@5[21:24] bau@6[25:30] cu@7[31:35]",
		},
		{
			"Covid-19 năm 2024",
			"covid@1[0:5] 19@2[6:8] năm@3[9:13] 2024@4[14:18]",
			"covid@1[0:5] 19@2[6:8] nam@3[9:13] 2024@4[14:18]",
		},
		{ // NFD: offsets cover the combining marks of the original bytes
			"Nguye\u0302\u0303n Va\u0306n",
			"nguyễn@1[0:10] văn@2[11:16]",
			"nguyen@1[0:10] van@2[11:16]",
		},
		{ // word-segmented titles (vmds): "_" separates syllables
			"Phe đối_lập Campuchia",
			"phe@1[0:3] đối@2[4:10] lập@3[11:16] campuchia@4[17:26]",
			"phe@1[0:3] doi@2[4:10] lap@3[11:16] campuchia@4[17:26]",
		},
		{ // Ð typed for Đ, a stray mark, a zero-width space inside a word
			"ÐBSCL thị\u0323 xã C\u200bảnh",
			"đbscl@1[0:6] thị@2[7:14] xã@3[15:18] cảnh@4[19:28]",
			"dbscl@1[0:6] thi@2[7:14] xa@3[15:18] canh@4[19:28]",
		},
	}
	for _, tt := range tests {
		if got := stream(exact.Analyze([]byte(tt.in))); got != tt.exact {
			t.Errorf("exact(%+q)\n got %s\nwant %s", tt.in, got, tt.exact)
		}
		if got := stream(folded.Analyze([]byte(tt.in))); got != tt.folded {
			t.Errorf("folded(%+q)\n got %s\nwant %s", tt.in, got, tt.folded)
		}
	}
}

var sentences = []string{
	"Uỷ ban nhân dân tỉnh Khánh Hoà họp về thuỷ lợi và sức khoẻ người dân.",
	"Ông Nguyễn Văn Quý giữ chức Chủ tịch HĐND từ năm 2019; an ninh được giữ vững.",
	"“Dân vận khéo” – Đường Trường Sơn, 1.200 km, qua 15 tỉnh…",
	"Giá xăng RON95 giảm 500 đồng/lít; Công ty TNHH Hoàng Long (TP.HCM) cho biết.",
	"Chuyện quyết toán, hoá đơn: khuya rồi, ngưòi ta vẫn nghiêng mình chào cờ.",
}

// TestAnalyzerOffsets: every token points at valid UTF-8 bytes of the
// original text, which normalize and fold to its terms: highlights land on
// the published spelling.
func TestAnalyzerOffsets(t *testing.T) {
	exact, folded := analyzer(t, ExactAnalyzer), analyzer(t, FoldedAnalyzer)
	for _, s := range sentences {
		for _, in := range []string{s, norm.NFD.String(s)} {
			for _, tok := range exact.Analyze([]byte(in)) {
				orig := in[tok.Start:tok.End]
				if !utf8.ValidString(orig) {
					t.Errorf("%+q: token %q at [%d:%d] is not valid UTF-8", in, tok.Term, tok.Start, tok.End)
				}
				if want := strings.ToLower(vntext.Normalize(orig)); string(tok.Term) != want {
					t.Errorf("%+q: exact term %q, original %q normalizes to %q", in, tok.Term, orig, want)
				}
			}
			for _, tok := range folded.Analyze([]byte(in)) {
				if orig := in[tok.Start:tok.End]; string(tok.Term) != vntext.Fold(orig) {
					t.Errorf("%+q: folded term %q, original %q folds to %q", in, tok.Term, orig, vntext.Fold(orig))
				}
			}
		}
	}
}

func TestAnalyzerNFDandNFC(t *testing.T) {
	for _, name := range []string{ExactAnalyzer, FoldedAnalyzer} {
		a := analyzer(t, name)
		for _, s := range sentences {
			nfc, nfd := termsOf(a.Analyze([]byte(s))), termsOf(a.Analyze([]byte(norm.NFD.String(s))))
			if !slices.Equal(nfc, nfd) {
				t.Errorf("%s: NFC and NFD of %q differ:\n%q\n%q", name, s, nfc, nfd)
			}
		}
	}
}

func TestAnalyzerTonePlacement(t *testing.T) {
	exact := analyzer(t, ExactAnalyzer)
	pairs := []struct{ old, new string }{
		{"Hoà bình", "Hòa bình"},
		{"sức khoẻ", "sức khỏe"},
		{"thuỷ điện", "thủy điện"},
		{"Uỷ ban", "Ủy ban"},
		{"hoá học", "hóa học"},
		{"THUỴ ĐIỂN", "THỤY ĐIỂN"},
	}
	for _, p := range pairs {
		old, new := termsOf(exact.Analyze([]byte(p.old))), termsOf(exact.Analyze([]byte(p.new)))
		if !slices.Equal(old, new) {
			t.Errorf("exact terms of %q %q differ from those of %q %q", p.old, old, p.new, new)
		}
	}
}

// TestAnalyzerKeepsStopWords: English stop words are Vietnamese syllables
// (an ninh, to lớn, do đó), so no analyzer drops them.
func TestAnalyzerKeepsStopWords(t *testing.T) {
	in := "an ninh to lớn do đó no nê in ấn the thé a i"
	want := strings.Fields(in)
	for _, name := range []string{ExactAnalyzer, FoldedAnalyzer} {
		got := termsOf(analyzer(t, name).Analyze([]byte(in)))
		if name == FoldedAnalyzer {
			want = strings.Fields(vntext.Fold(in))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
		}
	}
}

func TestAnalyzerTokenTypes(t *testing.T) {
	ts := analyzer(t, ExactAnalyzer).Analyze([]byte("năm 2024 có 3 đợt"))
	var got []string
	for _, tok := range ts {
		typ := "alnum"
		if tok.Type == analysis.Numeric {
			typ = "num"
		}
		got = append(got, string(tok.Term)+":"+typ)
	}
	want := []string{"năm:alnum", "2024:num", "có:alnum", "3:num", "đợt:alnum"}
	if !slices.Equal(got, want) {
		t.Errorf("types = %q, want %q", got, want)
	}
}

// TestMarkedAnalyzer: the exact fields keep the syllables written with
// marks, đ included, as the exact analyzer spells them, and leave out
// numbers, foreign words and syllables written without marks.
func TestMarkedAnalyzer(t *testing.T) {
	got := terms(analyzer(t, MarkedAnalyzer).Analyze([]byte("Năm 2024, Samsung cho ĐI thử xe Café ở Seoul; hoà bình")))
	want := []string{"năm", "đi", "thử", "café", "ở", "hòa", "bình"}
	if !slices.Equal(got, want) {
		t.Errorf("terms = %q, want %q", got, want)
	}
}

// BenchmarkAnalyzers runs both analyzers over the bodies of the Dân trí
// articles, as ingest stores them.
func BenchmarkAnalyzers(b *testing.B) {
	var bodies [][]byte
	var n int64
	for _, d := range benchBodies(b) {
		bodies = append(bodies, []byte(d))
		n += int64(len(d))
	}
	for _, name := range []string{ExactAnalyzer, FoldedAnalyzer} {
		a, err := registry.NewCache().AnalyzerNamed(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(n)
			b.ReportAllocs()
			for b.Loop() {
				for _, body := range bodies {
					a.Analyze(body)
				}
			}
		})
	}
}

// benchBodies returns the article bodies of dantri.jsonl.gz, repaired as
// ingest stores them.
func benchBodies(b *testing.B) []string {
	f, err := os.Open(shared.Corpus(b, "dantri.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var bodies []string
	dec := json.NewDecoder(zr)
	for {
		var rec struct{ Body string }
		if err := dec.Decode(&rec); err == io.EOF {
			return bodies
		} else if err != nil {
			b.Fatalf("read dantri.jsonl.gz: %v", err)
		}
		bodies = append(bodies, vntext.Repair(rec.Body))
	}
}
