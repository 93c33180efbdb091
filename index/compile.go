package index

import (
	"github.com/blevesearch/bleve/v2/search/query"

	uq "kho/internal/query"
)

// Field weights: a match in the title says more about an article than one in
// its body.
var fieldBoost = map[string]float64{
	FieldTitle: 3,
	FieldText:  1,
}

const (
	// exactBoost multiplies the weight of a syllable typed with diacritics
	// found with the same diacritics, so đường ranks above dương, under OR:
	// elsewhere the tiers put those articles first (tiers.go).
	exactBoost = 2.0
	// adjacencyBoost weighs syllables found next to each other as typed, so
	// "ha noi" ranks Hà Nội above hà … nội.
	adjacencyBoost = 1.5
)

// syllable is one analyzed query syllable.
type syllable struct {
	folded, exact string
	marked        bool // typed with diacritics: exact matches earn a bonus
}

// phraseSyllables is the syllables of a phrase's words, in order.
func phraseSyllables(p uq.Phrase) []syllable {
	var syls []syllable
	for _, w := range p.Words {
		syls = append(syls, analyzeWords(w)...)
	}
	return syls
}

// analyzeWords turns text into syllables with the index's own analyzers, so a
// query term is always spelled the way the index spells it.
func analyzeWords(text string) []syllable {
	a := Analyze(text)
	out := make([]syllable, len(a.FoldedTerms))
	for i := range a.FoldedTerms {
		out[i] = syllable{folded: a.FoldedTerms[i], exact: a.ExactTerms[i],
			marked: a.ExactTerms[i] != a.FoldedTerms[i]}
	}
	return out
}

// compiled is a user query turned into bleve queries: what must match, what
// must not, and optional clauses that only raise the score.
type compiled struct {
	must, mustNot, should []query.Query
}

// compileQuery translates the parsed user query. Words and phrases match the
// folded fields; the exact fields and adjacency only add to the score.
//
// Syllables typed with diacritics found in that form rank first: for the
// words and phrases the reader requires, the tiers do that (preferred), so
// exact terms are added to the score only under OR (exact), where tiers do
// not reach. Scoring them everywhere cost a tenth of the CPU of a search and
// changed no rank of the corpus set.
func compileQuery(n uq.Node, exact bool) compiled {
	var c compiled
	switch n := n.(type) {
	case nil:
	case uq.And:
		for _, child := range n.Nodes {
			if not, ok := child.(uq.Not); ok {
				if q := matchNode(not.Node, nil, false); q != nil {
					c.mustNot = append(c.mustNot, q)
				}
				continue
			}
			if q := matchNode(child, &c.should, exact); q != nil {
				c.must = append(c.must, q)
			}
		}
		c.should = append(c.should, adjacency(n.Nodes)...)
	case uq.Not:
		if q := matchNode(n.Node, nil, false); q != nil {
			c.mustNot = append(c.mustNot, q)
		}
	default:
		if q := matchNode(n, &c.should, exact); q != nil {
			c.must = append(c.must, q)
		}
	}
	return c
}

// matchNode is the query an article must match for n; it appends score-only
// clauses to should when should is not nil, and scores exact forms when
// exact. It returns nil for nodes without any syllable (punctuation).
func matchNode(n uq.Node, should *[]query.Query, exact bool) query.Query {
	switch n := n.(type) {
	case uq.Word:
		syls := analyzeWords(n.Text)
		if len(syls) == 1 {
			return syllableQuery(syls[0], exact)
		}
		return phraseQuery(syls, exact)
	case uq.Phrase:
		return phraseQuery(phraseSyllables(n), exact)
	case uq.Not:
		inner := matchNode(n.Node, nil, false)
		if inner == nil {
			return nil
		}
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{inner})
	case uq.And:
		c := compileQuery(n, exact)
		if len(c.must) == 0 && len(c.mustNot) == 0 {
			return nil
		}
		if should != nil {
			*should = append(*should, c.should...)
		}
		if len(c.must) == 0 {
			c.must = []query.Query{query.NewMatchAllQuery()}
		}
		return query.NewBooleanQuery(c.must, nil, c.mustNot)
	case uq.Or:
		var alts []query.Query
		for _, child := range n.Nodes {
			if q := matchNode(child, should, true); q != nil {
				alts = append(alts, q)
			}
		}
		if len(alts) == 0 {
			return nil
		}
		return query.NewDisjunctionQuery(alts)
	}
	return nil
}

// syllableQuery matches one syllable in any text field, folded; with exact,
// when the syllable was typed with diacritics, the same syllable in the exact
// fields adds to the score.
func syllableQuery(s syllable, exact bool) query.Query {
	var alts []query.Query
	for _, f := range SearchFields {
		alts = append(alts, term(s.folded, f, fieldBoost[f]))
		if exact && s.marked {
			alts = append(alts, term(s.exact, f+ExactSuffix, fieldBoost[f]*exactBoost))
		}
	}
	return query.NewDisjunctionQuery(alts)
}

// phraseQuery matches syllables standing next to each other, folded, within
// one searched field: in the title each pair of neighbours is one term of
// the pairs field, and the field must have every pair of the phrase (a
// longer phrase is then checked in the stored title); in the text every
// syllable must be there and the text's sequence is checked (chainedPhrase).
func phraseQuery(syls []syllable, exact bool) query.Query {
	switch len(syls) {
	case 0:
		return nil
	case 1:
		return syllableQuery(syls[0], exact)
	}
	folded := make([]string, len(syls))
	for i, s := range syls {
		folded[i] = s.folded
	}
	var alts []query.Query
	for _, f := range SearchFields {
		var all []query.Query
		if !hasPairs(f) {
			for _, s := range folded {
				all = append(all, term(s, f, fieldBoost[f]))
			}
			alts = append(alts, newSeqPhrase(folded, query.NewConjunctionQuery(all)))
			continue
		}
		for i := 1; i < len(folded); i++ {
			all = append(all, term(pair(folded[i-1], folded[i]), f+PairsSuffix, fieldBoost[f]))
		}
		if len(all) == 1 {
			alts = append(alts, all[0])
		} else {
			alts = append(alts, newStoredPhrase(f, folded, query.NewConjunctionQuery(all)))
		}
	}
	var marked []query.Query
	for _, s := range syls {
		if exact && s.marked {
			marked = append(marked, syllableQuery(s, true))
		}
	}
	if len(marked) == 0 {
		return query.NewDisjunctionQuery(alts)
	}
	// A phrase typed with diacritics: the folded phrase must match, and each
	// marked syllable found exactly raises the score.
	return query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(alts)}, marked, nil)
}

// adjacency rewards articles where consecutive typed words stand next to each
// other, pair by pair, in the fields with pairs: the title. (The text's
// sequence could tell it too, but only article by article, where a pair's
// postings tell it for all the matches at once.)
func adjacency(nodes []uq.Node) []query.Query {
	var out []query.Query
	var prev []syllable
	for _, n := range nodes {
		w, ok := n.(uq.Word)
		if !ok {
			prev = nil
			continue
		}
		syls := analyzeWords(w.Text)
		if len(syls) == 0 {
			continue
		}
		if len(prev) > 0 {
			p := pair(prev[len(prev)-1].folded, syls[0].folded)
			for _, f := range SearchFields {
				if hasPairs(f) {
					out = append(out, term(p, f+PairsSuffix, fieldBoost[f]*adjacencyBoost))
				}
			}
		}
		prev = syls
	}
	return out
}

// pair is the term of the pairs fields for two neighbouring folded syllables.
func pair(a, b string) string { return a + PairSeparator + b }

func term(t, field string, boost float64) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}
