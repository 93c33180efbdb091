package index

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"kho/internal/vntext"
)

// Names under which kho's analysis components are registered with bleve.
const (
	SyllableTokenizer = "kho_syllable"
	NormalizeFilter   = "kho_normalize" // NFC, canonical tone placement, lower case
	FoldFilter        = "kho_fold"      // remove every mark, đ → d

	ExactAnalyzer  = "kho_exact"  // syllables as written (normalized), diacritics kept
	FoldedAnalyzer = "kho_folded" // syllables without diacritics
)

func init() {
	mustRegister(registry.RegisterTokenizer(SyllableTokenizer,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return syllableTokenizer{}, nil }))
	mustRegister(registry.RegisterTokenFilter(NormalizeFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return normalizeFilter{}, nil }))
	mustRegister(registry.RegisterTokenFilter(FoldFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return foldFilter{}, nil }))
	mustRegister(registry.RegisterAnalyzer(ExactAnalyzer, analyzerOf(NormalizeFilter)))
	mustRegister(registry.RegisterAnalyzer(FoldedAnalyzer, analyzerOf(NormalizeFilter, FoldFilter)))
}

func mustRegister(err error) {
	if err != nil {
		panic(err)
	}
}

func analyzerOf(filters ...string) registry.AnalyzerConstructor {
	return func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(SyllableTokenizer)
		if err != nil {
			return nil, err
		}
		a := &analysis.DefaultAnalyzer{Tokenizer: tok}
		for _, name := range filters {
			f, err := cache.TokenFilterNamed(name)
			if err != nil {
				return nil, err
			}
			a.TokenFilters = append(a.TokenFilters, f)
		}
		return a, nil
	}
}

// syllableTokenizer splits text into Vietnamese syllables with byte offsets
// into the original text, so highlights land on the published spelling.
type syllableTokenizer struct{}

func (syllableTokenizer) Tokenize(text []byte) analysis.TokenStream {
	syls := vntext.Syllables(string(text))
	stream := make(analysis.TokenStream, len(syls))
	tokens := make([]analysis.Token, len(syls)) // one allocation, not one per token
	for i, s := range syls {
		typ := analysis.AlphaNumeric
		if isNumber(s.Text) {
			typ = analysis.Numeric
		}
		// Like bleve's own tokenizers, Term shares the input's bytes; the
		// filters below replace it rather than write into it.
		tokens[i] = analysis.Token{
			Start: s.Start, End: s.End, Position: i + 1,
			Term: text[s.Start:s.End:s.End], Type: typ,
		}
		stream[i] = &tokens[i]
	}
	return stream
}

func isNumber(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// normalizeFilter rewrites each term to its normalized lower-case form; only
// Term changes, Start and End keep pointing at the original bytes.
type normalizeFilter struct{}

func (normalizeFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		term := string(t.Term)
		if n := strings.ToLower(vntext.Normalize(term)); n != term {
			t.Term = []byte(n)
		}
	}
	return in
}

// foldFilter removes diacritics from each term. It is a token filter, not a
// char filter, so byte offsets stay valid for highlighting (DESIGN.md rule 5).
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !isFolded(t.Term) {
			t.Term = vntext.AppendFold(nil, string(t.Term))
		}
	}
	return in
}

// isFolded reports whether Fold would leave term as it is: lower-case ASCII
// letters and digits, most terms of a folded analysis.
func isFolded(term []byte) bool {
	for _, c := range term {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
