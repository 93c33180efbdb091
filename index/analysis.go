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
	PairFilter        = "kho_pair"      // each two neighbouring syllables as one term
	MarkedFilter      = "kho_marked"    // only the syllables written with marks

	ExactAnalyzer  = "kho_exact"        // syllables as written (normalized), diacritics kept
	MarkedAnalyzer = "kho_exact_marked" // the exact fields: the syllables of kho_exact that have marks
	FoldedAnalyzer = "kho_folded"       // syllables without diacritics
	PairsAnalyzer  = "kho_pairs"        // neighbouring folded syllables: "ha noi"
)

func init() {
	mustRegister(registry.RegisterTokenizer(SyllableTokenizer,
		func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return syllableTokenizer{}, nil }))
	mustRegister(registry.RegisterTokenFilter(NormalizeFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return normalizeFilter{}, nil }))
	mustRegister(registry.RegisterTokenFilter(FoldFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return foldFilter{}, nil }))
	mustRegister(registry.RegisterTokenFilter(PairFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return pairFilter{}, nil }))
	mustRegister(registry.RegisterTokenFilter(MarkedFilter,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return markedFilter{}, nil }))
	mustRegister(registry.RegisterAnalyzer(ExactAnalyzer, analyzerOf(NormalizeFilter)))
	mustRegister(registry.RegisterAnalyzer(MarkedAnalyzer, analyzerOf(NormalizeFilter, MarkedFilter)))
	mustRegister(registry.RegisterAnalyzer(FoldedAnalyzer, analyzerOf(NormalizeFilter, FoldFilter)))
	mustRegister(registry.RegisterAnalyzer(PairsAnalyzer, analyzerOf(NormalizeFilter, FoldFilter, PairFilter)))
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

// markedFilter keeps the syllables written with marks (normalized terms
// that differ from their folded form). The index's exact fields hold only
// these: a query asks the exact fields for syllables typed with marks alone
// (the exact bonus, the first tier), and a syllable without any (a number, a
// foreign word, "cho", "trong") is the same term as in the folded field,
// which every search asks anyway. At 100,000 synthetic articles leaving them
// out took six in seven of the text's exact terms (67,541 → 10,402) and 11 %
// of the ingest's CPU (BENCHMARKS "Ingest"). The exact field's length counts
// the syllables it holds, as bleve would count this analyzer's tokens.
// Related stories, which spell a story's units exactly, look an unmarked
// unit up in the folded fields (unit.exact).
type markedFilter struct{}

func (markedFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, t := range in {
		if hasMarks(string(t.Term)) {
			out = append(out, t)
		}
	}
	return out
}

// hasMarks reports whether a normalized, lower-case syllable has a mark: it
// differs from its folded form.
func hasMarks(term string) bool {
	return !isFolded([]byte(term)) && vntext.Fold(term) != term
}

// pairFilter turns a stream of syllables into the pairs of neighbours,
// "ha noi" for Hà Nội. Looking a pair up as one term is how kho tests that
// two syllables stand together: bleve's phrase search compares positions
// of every occurrence of both syllables, and folded syllables are so
// frequent that this costs more than the rest of a search.
type pairFilter struct{}

// PairSeparator joins the two syllables of a pair term.
const PairSeparator = " "

func (pairFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	if len(in) < 2 {
		return nil
	}
	out := make(analysis.TokenStream, len(in)-1)
	for i := range out {
		a, b := in[i], in[i+1]
		term := make([]byte, 0, len(a.Term)+len(PairSeparator)+len(b.Term))
		term = append(append(append(term, a.Term...), PairSeparator...), b.Term...)
		out[i] = &analysis.Token{Term: term, Start: a.Start, End: b.End, Position: i + 1, Type: analysis.Shingle}
	}
	return out
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
