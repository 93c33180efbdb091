package index

import (
	"context"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"

	uq "kho/internal/query"
)

func TestPairsAnalyzer(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hà Nội", "ha noi"},
		{"Thủ tướng, Chính phủ", "thu tuong|tuong chinh|chinh phu"},
		{"một", ""},
		{"", ""},
	}
	a, err := registry.NewCache().AnalyzerNamed(PairsAnalyzer)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		toks := a.Analyze([]byte(tc.in))
		var got []string
		for i, tok := range toks {
			got = append(got, string(tok.Term))
			if tok.Position != i+1 {
				t.Errorf("%q: pair %d at position %d", tc.in, i, tok.Position)
			}
			if want := strings.Fields(string(tok.Term)); len(want) != 2 {
				t.Errorf("%q: pair %q", tc.in, tok.Term)
			}
		}
		if s := strings.Join(got, "|"); s != tc.want {
			t.Errorf("pairs of %q = %q, want %q", tc.in, s, tc.want)
		}
		// A pair spans the original bytes of both syllables.
		if len(toks) > 0 && strings.Count(tc.in[toks[0].Start:toks[0].End], " ") != 1 {
			t.Errorf("%q: first pair covers %q", tc.in, tc.in[toks[0].Start:toks[0].End])
		}
	}
}

// TestPhraseNeedsOrder: a phrase of three syllables matches them only in
// order and together, although each of its pairs occurs elsewhere.
func TestPhraseNeedsOrder(t *testing.T) {
	ix := newTestIndex(t)
	tests := []struct {
		phrase []string
		want   string
	}{
		{[]string{"ha", "noi", "mua"}, "a:1"},           // "Hà Nội mưa lớn"
		{[]string{"noi", "mua", "lon"}, "a:1"},          // "Nội mưa lớn"
		{[]string{"ha", "noi", "co", "mua"}, "a:1"},     // body: "Hà Nội có mưa"
		{[]string{"mua", "ha", "noi"}, ""},              // every syllable is there, not in this order
		{[]string{"nha", "dan", "hoa"}, ""},             // no such phrase
		{[]string{"dân", "vận", "khéo"}, "c:5"},         // with diacritics
		{[]string{"nhiều", "tuyến", "đường"}, "a:1"},    // in title and body
		{[]string{"đường", "ngập", "sâu", "chiều"}, ""}, // across title and body
	}
	for _, tc := range tests {
		r, err := ix.Search(context.Background(), SearchRequest{Query: uq.Phrase{Words: tc.phrase}, Page: 1, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(r); got != tc.want {
			t.Errorf("%q: got %q, want %q", strings.Join(tc.phrase, " "), got, tc.want)
		}
	}
}
