package index

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bsearcher "github.com/blevesearch/bleve/v2/search/searcher"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/internal/vntext"
)

// chainedPhrase matches a phrase of syllables in one searched field. The
// index keeps no positions (term vectors cost more at ingest than the whole
// exact field), so candidates finds the articles that may have it, and each
// is checked:
//   - in the title, every pair of the phrase must be there; that chain can
//     stand apart ("a b" in one sentence, "b c" in another), so each
//     candidate's stored title is read. The pairs leave few candidates.
//   - in the text, which has no pairs, every syllable must be there, and the
//     candidate's syllable sequence must have the phrase's codes side by
//     side (sequence.go).
type chainedPhrase struct {
	candidates query.Query // a conjunction of the phrase's pairs or syllables
	stored     string      // the stored field to read, when the field has pairs
	codes      []byte      // the phrase's codes, when the field has a sequence
	folded     []string    // the phrase's folded syllables
}

// newStoredPhrase is a phrase checked in the stored value of field stored.
func newStoredPhrase(stored string, folded []string, pairs query.Query) query.Query {
	return &chainedPhrase{candidates: pairs, stored: stored, folded: folded}
}

// newSeqPhrase is a phrase checked in the text's syllable sequences.
func newSeqPhrase(folded []string, syllables query.Query) query.Query {
	return &chainedPhrase{candidates: syllables, codes: phraseCodes(folded), folded: folded}
}

// Searcher implements bleve's query.Query.
func (q *chainedPhrase) Searcher(ctx context.Context, r bleveindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.candidates.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	if q.codes == nil {
		return bsearcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
			return q.storedHasPhrase(r, d.IndexInternalID)
		}), nil
	}
	seqs, err := newReaderSeqs(r, q.codes)
	if err != nil {
		return nil, err
	}
	return bsearcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		ok, err := seqs.hasRun(d.IndexInternalID)
		return ok && err == nil
	}), nil
}

// storedHasPhrase reads the candidate's stored value of the field.
func (q *chainedPhrase) storedHasPhrase(r bleveindex.IndexReader, internal bleveindex.IndexInternalID) bool {
	id, err := r.ExternalID(internal)
	if err != nil {
		return false
	}
	doc, err := r.Document(id)
	if err != nil || doc == nil {
		return false
	}
	found := false
	doc.VisitFields(func(f bleveindex.Field) {
		if !found && f.Name() == q.stored {
			found = hasFoldedRun(string(f.Value()), q.folded)
		}
	})
	return found
}

// hasFoldedRun reports whether text has the folded syllables next to each
// other, in order, as the analyzers see neighbours (the pairs fields pair
// every syllable with the next one, across punctuation too). The text is
// folded whole (Fold(Normalize(x)) == Fold(x), so its syllables fold as the
// analyzers fold them), and only the places where the first syllable's
// letters occur are split into syllables: a long body is read once.
func hasFoldedRun(text string, folded []string) bool {
	ft := vntext.Fold(text)
	span := 0
	for _, f := range folded {
		span += len(f) + 16 // room for the punctuation between syllables
	}
	for off := 0; off < len(ft); {
		i := strings.Index(ft[off:], folded[0])
		if i < 0 {
			return false
		}
		at := off + i
		off = at + 1
		// Start a little before, so that a syllable ending at at is seen
		// as one (then at is not the start of a syllable).
		start := at
		for k := 0; k < 4 && start > 0; k++ {
			start--
			for start > 0 && !utf8.RuneStart(ft[start]) {
				start--
			}
		}
		match, cut := runAt(ft, start, at, min(len(ft), at+span), folded)
		if cut {
			match, _ = runAt(ft, start, at, len(ft), folded)
		}
		if match {
			return true
		}
	}
	return false
}

// runAt reports whether the syllables of ft[start:end] include folded in a
// row from byte at. cut says the answer is not to be trusted because end,
// before the end of the text, may have cut the run short or cut its last
// syllable; the caller looks again with the whole rest of the text.
func runAt(ft string, start, at, end int, folded []string) (match, cut bool) {
	maybeCut := end < len(ft)
	toks := vntext.Syllables(ft[start:end])
	for ti, t := range toks {
		if start+t.Start < at {
			continue
		}
		if start+t.Start > at {
			return false, false
		}
		for j, want := range folded {
			if ti+j == len(toks) {
				return false, maybeCut
			}
			if toks[ti+j].Text != want {
				return false, maybeCut && ti+j == len(toks)-1 && start+toks[ti+j].End == end
			}
		}
		last := toks[ti+len(folded)-1]
		return !(maybeCut && start+last.End == end), maybeCut && start+last.End == end
	}
	return false, false
}
