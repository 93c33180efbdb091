package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/internal/vntext"
)

// A story's profile is the handful of units that tell it apart from the rest
// of the archive: syllables and pairs of adjacent syllables ("dân vận",
// "Hà Nội"), weighted by where they occur, how often, how rare they are in
// the index, and whether the text capitalizes them as names.

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

// unit is a syllable or a pair of adjacent syllables ("ha noi").
type unit struct {
	folded string // syllables joined by a space
	exact  string // the spelling seen most often (unigrams), for the exact fields
	pair   bool
	tf     float64 // occurrences weighted by part
	names  int     // occurrences capitalized mid-sentence
	count  int     // occurrences
	df     uint64
	weight float64
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

// profile counts the units of a story's parts and tells whether the story is
// written with diacritics (a draft may be typed without).
func profile(parts []part) (units map[string]*unit, marked bool) {
	units = map[string]*unit{}
	withMarks, all := 0, 0
	exactSeen := map[string]map[string]int{}
	add := func(key string, pair bool, w float64, name bool) *unit {
		u := units[key]
		if u == nil {
			u = &unit{folded: key, pair: pair}
			units[key] = u
		}
		u.tf += w
		u.count++
		if name {
			u.names++
		}
		return u
	}
	for _, p := range parts {
		toks := tokenize(p.text)
		for i, t := range toks {
			all++
			if t.exact != t.folded {
				withMarks++
			}
			add(t.folded, false, p.weight, t.name)
			if exactSeen[t.folded] == nil {
				exactSeen[t.folded] = map[string]int{}
			}
			exactSeen[t.folded][t.exact]++
			if i > 0 && t.joined {
				prev := toks[i-1]
				add(prev.folded+" "+t.folded, true, p.weight, prev.name && t.name)
			}
		}
	}
	for key, spellings := range exactSeen {
		units[key].exact = mostFrequent(spellings)
	}
	// Most syllables of Vietnamese carry a mark; a text where few do was
	// typed without them.
	return units, withMarks*4 >= all && all > 0
}

func mostFrequent(counts map[string]int) string {
	best, n := "", 0
	for s, c := range counts {
		if c > n || c == n && s < best {
			best, n = s, c
		}
	}
	return best
}

// dfFields are the fields whose document frequencies estimate how common a
// spelling is: the largest of the three, since some articles have only a
// title and a lead. The exact fields tell vận from văn and vấn, which the
// folded van lumps together.
// A text typed without diacritics counts folded syllables instead.
var (
	exactDFFields  = []string{FieldTitle + ExactSuffix, FieldSummary + ExactSuffix, FieldBody + ExactSuffix}
	foldedDFFields = []string{FieldTitle, FieldSummary, FieldBody}
)

// docFreq looks up how many articles contain a syllable spelled exactly.
type docFreq struct {
	r bleveindex.IndexReader
	n uint64
}

func (ix *Index) docFreqReader() (*docFreq, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	n, err := r.DocCount()
	if err != nil {
		r.Close()
		return nil, err
	}
	return &docFreq{r: r, n: n}, nil
}

func (d *docFreq) Close() error { return d.r.Close() }

func (d *docFreq) of(ctx context.Context, term string, fields []string) (uint64, error) {
	var df uint64
	for _, f := range fields {
		tfr, err := d.r.TermFieldReader(ctx, []byte(term), f, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("document frequency of %q: %w", term, err)
		}
		df = max(df, tfr.Count())
		tfr.Close()
	}
	return df, nil
}

// idf is the inverse document frequency of a term found in df of n articles.
func idf(df, n uint64) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// selectUnits weighs the units of a profile and keeps the most
// characteristic ones, best first.
// own is 1 when the story is an indexed article, whose own syllables the
// document frequencies count.
func selectUnits(ctx context.Context, units map[string]*unit, marked bool, own uint64, dfs *docFreq, t relatedTuning) ([]*unit, error) {
	term, fields := func(u *unit) string { return u.folded }, foldedDFFields
	if marked {
		term, fields = func(u *unit) string { return u.exact }, exactDFFields
	}
	idfs := map[string]float64{}
	var kept []*unit
	for _, u := range units {
		if u.pair {
			continue
		}
		if isNumber(u.folded) && len(u.folded) < t.minNumberLen {
			continue
		}
		df, err := dfs.of(ctx, term(u), fields)
		if err != nil {
			return nil, err
		}
		if df <= own {
			continue // no other article has it: it can't match anything
		}
		u.df = df
		idfs[u.folded] = idf(df, dfs.n)
		if common(df, dfs.n, t) {
			continue
		}
		u.weight = unitWeight(u, idfs[u.folded], t)
		kept = append(kept, u)
	}
	// A pair is at least as rare as its rarer syllable, rarer still when the
	// other is not common; pairs of common syllables ("của các") drop out.
	for _, p := range units {
		if !p.pair || p.count < t.minPairCount {
			continue
		}
		a, b, _ := strings.Cut(p.folded, " ")
		ia, okA := idfs[a]
		ib, okB := idfs[b]
		if !okA || !okB {
			continue
		}
		pi := max(ia, ib) + t.pairOtherIDF*min(ia, ib)
		p.weight = unitWeight(p, pi, t) * t.pairBoost
		kept = append(kept, p)
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].weight != kept[j].weight {
			return kept[i].weight > kept[j].weight
		}
		return kept[i].folded < kept[j].folded
	})
	return keepBest(kept, t.maxUnigrams, t.maxPairs), nil
}

// common tells a syllable too frequent to characterise anything (and slow
// to search). In a small archive every shared syllable may count.
func common(df, n uint64, t relatedTuning) bool {
	return df > t.minCommonDF && float64(df) > t.maxDFRatio*float64(n)
}

func unitWeight(u *unit, idf float64, t relatedTuning) float64 {
	w := math.Pow(u.tf, t.tfPower) * math.Pow(idf, t.idfPower)
	if u.names*2 >= u.count && u.names > 0 {
		w *= t.nameBoost
	}
	return w
}

// keepBest keeps the first maxUni unigrams and maxPairs pairs of a sorted list.
func keepBest(sorted []*unit, maxUni, maxPairs int) []*unit {
	var out []*unit
	nu, np := 0, 0
	for _, u := range sorted {
		switch {
		case u.pair && np < maxPairs:
			np++
		case !u.pair && nu < maxUni:
			nu++
		default:
			continue
		}
		out = append(out, u)
	}
	return out
}
