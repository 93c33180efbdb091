package index

import (
	"github.com/blevesearch/bleve/v2/search/query"

	uq "kho/internal/query"
)

// restoredBoost weighs a syllable the reader typed without diacritics found
// in the form the diacritics model restored: all else equal, such articles
// rank above those matching only the folded letters.
const restoredBoost = 1.5

// suggest restores the diacritics of a query typed without them (or with
// Telex/VNI keystrokes left in). It returns the restored text, empty when it
// equals the query, and the syllables typed plain that it restored with
// marks: articles written with those forms rank first.
func (ix *Index) suggest(text string, typed uq.Node) (string, []syllable) {
	if text == "" || typed == nil {
		return "", nil
	}
	restored, changed := ix.dia.model.Restore(text)
	if !changed {
		return "", nil
	}
	rq, err := uq.Parse(restored)
	if err != nil {
		return restored, nil
	}
	return restored, restoredSyllables(typed, rq)
}

// restoredSyllables pairs the words of the typed and restored queries
// (Restore keeps the query's shape) and returns each syllable typed plain
// and restored with marks, in its restored form.
func restoredSyllables(typed, restored uq.Node) []syllable {
	tw, rw := wordsOf(typed), wordsOf(restored)
	if len(tw) != len(rw) {
		return nil
	}
	var out []syllable
	for i := range tw {
		ts, rs := analyzeWords(tw[i]), analyzeWords(rw[i])
		if len(ts) != len(rs) {
			continue
		}
		for j := range ts {
			if !ts[j].marked && rs[j].marked && ts[j].folded == rs[j].folded {
				out = append(out, rs[j])
			}
		}
	}
	return out
}

// exactTerms are score-only clauses for syllables found in their exact form.
func exactTerms(syls []syllable, boost float64) []query.Query {
	var out []query.Query
	for _, s := range syls {
		for _, f := range SearchFields {
			out = append(out, term(s.exact, f+ExactSuffix, fieldBoost[f]*boost))
		}
	}
	return out
}

// preferred matches the articles that rank first: those with every syllable
// the reader typed with diacritics in that exact form. Syllables under OR or
// an exclusion do not count. It is nil when there is no such syllable.
func preferred(typed uq.Node) query.Query {
	var syls []syllable
	uq.Inspect(typed, func(n uq.Node) bool {
		switch n := n.(type) {
		case uq.Word:
			syls = append(syls, analyzeWords(n.Text)...)
		case uq.Phrase:
			syls = append(syls, phraseSyllables(n)...)
		case uq.Not, uq.Or:
			return false
		}
		return true
	})
	seen := map[string]bool{}
	var each []query.Query
	for _, s := range syls {
		if !s.marked || seen[s.exact] {
			continue
		}
		seen[s.exact] = true
		var anyField []query.Query
		for _, f := range SearchFields {
			anyField = append(anyField, term(s.exact, f+ExactSuffix, 0))
		}
		each = append(each, query.NewDisjunctionQuery(anyField))
	}
	if len(each) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(each)
}

// wordsOf lists the words of a query in order, phrases' words included and
// exclusions left out (nothing to favour there).
func wordsOf(n uq.Node) []string {
	var out []string
	uq.Inspect(n, func(n uq.Node) bool {
		switch n := n.(type) {
		case uq.Word:
			out = append(out, n.Text)
		case uq.Phrase:
			out = append(out, n.Words...)
		case uq.Not:
			return false
		}
		return true
	})
	return out
}
