package index

import (
	"context"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"kho/internal/vntext"
)

// A story is described by its units: syllables and pairs of adjacent
// syllables ("dân vận", "Hà Nội"), each weighted by where it occurs, how often,
// how rare it is in the index and whether the text capitalizes it as a name.
// Units are spelled as the index's exact fields spell them when the story is
// written with diacritics (dân and dần are different words), folded when it
// was typed without.

// part is a piece of a story with the weight of a unit found in it.
type part struct {
	text   string
	weight float64
}

// token is one syllable of a story as the index spells it.
type token struct {
	folded, exact string
	joined        bool // follows the previous syllable in the same phrase
	name          bool // capitalized where a sentence does not start
}

// unit is a syllable or a pair of adjacent syllables.
type unit struct {
	key    string // the syllables joined by a space
	pair   bool
	tf     float64 // occurrences weighted by part
	names  int     // occurrences capitalized mid-sentence
	count  int     // occurrences
	df     uint64  // unigrams: articles that contain it
	weight float64
	// exact: a syllable looked up in the exact fields, for its document
	// frequency and in the search: one with marks in a story written with
	// diacritics. The exact fields hold no other (markedFilter); a
	// syllable without marks is the same term in the folded fields.
	exact bool
}

// sentenceMarks end a sentence or a clause: a capital after one of them
// proves nothing about names.
const sentenceMarks = ".!?:;\n\"“”‘’'()[]{}-–—…•|/"

// tokenize analyzes text with the exact analyzer and notes, for each
// syllable, whether it continues a phrase and whether it is capitalized.
func tokenize(text string) []token {
	exact, _ := analyzers()
	stream := exact.Analyze([]byte(text))
	out := make([]token, len(stream))
	prevEnd := -1
	for i, t := range stream {
		var gap string
		if prevEnd >= 0 {
			gap = text[prevEnd:t.Start]
		}
		clauseStart := prevEnd < 0 || strings.ContainsAny(gap, sentenceMarks)
		r, _ := utf8.DecodeRuneInString(text[t.Start:])
		out[i] = token{
			folded: vntext.Fold(string(t.Term)),
			exact:  string(t.Term),
			joined: !clauseStart && strings.Trim(gap, " _\t") == "",
			name:   !clauseStart && unicode.IsUpper(r),
		}
		prevEnd = t.End
	}
	return out
}

// tokenized is a story's parts as syllables.
type tokenized struct {
	parts  [][]token
	weight []float64
}

func tokenizeParts(parts []part) tokenized {
	var tp tokenized
	for _, p := range parts {
		tp.parts = append(tp.parts, tokenize(p.text))
		tp.weight = append(tp.weight, p.weight)
	}
	return tp
}

// marked tells whether the story is written with diacritics. Most syllables
// of Vietnamese carry a mark; a text where few do was typed without them.
func (tp tokenized) marked() bool {
	withMarks, all := 0, 0
	for _, toks := range tp.parts {
		for _, t := range toks {
			all++
			if t.exact != t.folded {
				withMarks++
			}
		}
	}
	return all > 0 && withMarks*4 >= all
}

// units counts the units of a story, spelled exactly or folded.
func (tp tokenized) units(exact bool) map[string]*unit {
	spell := func(t token) string { return t.folded }
	if exact {
		spell = func(t token) string { return t.exact }
	}
	units := map[string]*unit{}
	add := func(key string, pair, inExact bool, w float64, name bool) {
		u := units[key]
		if u == nil {
			u = &unit{key: key, pair: pair, exact: inExact}
			units[key] = u
		}
		u.tf += w
		u.count++
		if name {
			u.names++
		}
	}
	for i, toks := range tp.parts {
		w := tp.weight[i]
		for j, t := range toks {
			add(spell(t), false, exact && t.exact != t.folded, w, t.name)
			if j > 0 && t.joined {
				prev := toks[j-1]
				add(spell(prev)+" "+spell(t), true, false, w, prev.name && t.name)
			}
		}
	}
	return units
}

// weigh sets the weight of every unit: tf^tfPower × idf^idfPower, more for
// names. Syllables in no more than own articles (1 for an indexed story: it
// is its own) get no weight: they can't match another article.
func weigh(ctx context.Context, units map[string]*unit, own uint64, dfs *docFreq, t relatedTuning) error {
	idfs := make(map[string]float64, len(units))
	for _, u := range units {
		if u.pair {
			continue
		}
		df, err := dfs.of(ctx, u.key, u.exact)
		if err != nil {
			return err
		}
		u.df = df
		if df <= own || isNumber(u.key) && len(u.key) < t.minNumberLen {
			continue
		}
		idfs[u.key] = idf(df, dfs.n)
		u.weight = unitWeight(u, idfs[u.key], t)
	}
	// A pair is at least as rare as its rarer syllable, rarer still when the
	// other is not common: "Nam Kinh" says more than "Nam" or "Kinh".
	for _, p := range units {
		if !p.pair {
			continue
		}
		a, b, _ := strings.Cut(p.key, " ")
		ia, okA := idfs[a]
		ib, okB := idfs[b]
		if !okA || !okB {
			continue
		}
		p.weight = unitWeight(p, max(ia, ib)+t.pairOtherIDF*min(ia, ib), t) * t.pairBoost
	}
	return nil
}

// idf is the inverse document frequency of a term found in df of n articles.
func idf(df, n uint64) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

func unitWeight(u *unit, idf float64, t relatedTuning) float64 {
	w := math.Pow(u.tf, t.tfPower) * math.Pow(idf, t.idfPower)
	if u.names > 0 && u.names*2 >= u.count {
		w *= t.nameBoost
	}
	return w
}

// common tells a syllable too frequent to find a story with (and slow to
// search). In a small archive every shared syllable may count.
func common(df, n uint64, t relatedTuning) bool {
	return df > t.minCommonDF && float64(df) > t.maxDFRatio*float64(n)
}

// characteristic keeps the units a search for the story's related articles
// asks for: the heaviest syllables that are not common, and the heaviest
// pairs, best first.
func characteristic(units map[string]*unit, n uint64, t relatedTuning) []*unit {
	var out []*unit
	for _, u := range units {
		if u.weight > 0 && (u.pair || !common(u.df, n, t)) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].key < out[j].key
	})
	var kept []*unit
	nu, np := 0, 0
	var postings uint64
	for _, u := range out {
		switch {
		case u.pair && np < t.maxPairs:
			np++
		case !u.pair && nu < t.maxUnigrams && (t.postingsBudget == 0 || postings+u.df <= t.postingsBudget):
			nu++
			postings += u.df
		default:
			continue
		}
		kept = append(kept, u)
	}
	return kept
}
