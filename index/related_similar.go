package index

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// candidate is an article the search found, as the ranking sees it.
type candidate struct {
	dm        *search.DocumentMatch
	score     float64
	published time.Time
	source    string
	shingles  map[uint64]struct{} // of its lead and body, to recognize copies
	copies    []string            // keys of the copies folded into it
	alsoIn    []string            // their sources
}

// newCandidate reads a found article from its stored fields and scores it by
// its similarity with the story: the cosine of their unit weights. Only the
// beginning of a long body is read: it is where a news story says what it is
// about, and reading it all costs time.
func newCandidate(ctx context.Context, dm *search.DocumentMatch, story map[string]*unit, exact bool, dfs *docFreq, t relatedTuning) (*candidate, error) {
	str := func(f string) string { s, _ := dm.Fields[f].(string); return s }
	c := &candidate{dm: dm, source: str(FieldSource)}
	if p := str(FieldPublished); p != "" {
		c.published, _ = time.Parse(time.RFC3339Nano, p)
	}
	lead, body := str(FieldSummary), str(FieldBody)
	if lead == "" {
		lead, body = splitLead(body, t.leadBytes)
	}
	tp := tokenizeParts([]part{
		{str(FieldTitle), t.titleWeight},
		{lead, t.leadWeight},
		{cutAtSpace(body, t.candidateBodyBytes), 1},
	})
	units := tp.units(exact)
	if err := weigh(ctx, units, 0, dfs, t); err != nil {
		return nil, err
	}
	c.score = cosine(story, units)
	c.shingles = shingles(tp.parts[1:]...)
	return c, nil
}

func cosine(a, b map[string]*unit) float64 {
	var dot, na, nb float64
	for k, u := range a {
		na += u.weight * u.weight
		if v, ok := b[k]; ok {
			dot += u.weight * v.weight
		}
	}
	for _, v := range b {
		nb += v.weight * v.weight
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// nearDate raises the score of articles published near the story's date:
// reports of one event come out within days of each other, while the same
// people and places recur in the news for years.
func nearDate(cs []*candidate, center time.Time, t relatedTuning) {
	if center.IsZero() || t.dateBoost == 0 {
		return
	}
	for _, c := range cs {
		if c.published.IsZero() {
			continue
		}
		days := math.Abs(c.published.Sub(center).Hours() / 24)
		c.score *= 1 + t.dateBoost/(1+days/t.dateScaleDays)
	}
}

// rank orders candidates by score, the newer first among equals.
func rank(cs []*candidate) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.score != b.score {
			return a.score > b.score
		}
		return a.published.After(b.published)
	})
}
