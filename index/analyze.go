package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"kho/internal/vntext"
)

// Analysis shows what kho makes of a text: the answer of `kho analyze` and
// GET /api/analyze.
type Analysis struct {
	Normalized  string   `json:"normalized"`
	Folded      string   `json:"folded"`
	ExactTerms  []string `json:"exact_terms"`
	FoldedTerms []string `json:"folded_terms"`
}

// Analyze runs text through the same analyzers the index uses.
func Analyze(text string) Analysis {
	exact, folded := analyzers()
	return Analysis{
		Normalized:  vntext.Normalize(text),
		Folded:      vntext.Fold(vntext.Normalize(text)),
		ExactTerms:  terms(exact.Analyze([]byte(text))),
		FoldedTerms: terms(folded.Analyze([]byte(text))),
	}
}

var analyzers = sync.OnceValues(func() (exact, folded analysis.Analyzer) {
	cache := registry.NewCache()
	var err error
	if exact, err = cache.AnalyzerNamed(ExactAnalyzer); err != nil {
		panic(err)
	}
	if folded, err = cache.AnalyzerNamed(FoldedAnalyzer); err != nil {
		panic(err)
	}
	return exact, folded
})

func terms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}
