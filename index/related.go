package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"kho/internal/vntext"
)

// Related finds the archive's other stories about the same event as an
// article (req.ID) or a draft (req.Title, req.Text): earlier reports,
// follow-ups and the same news told by other papers. bleve has no "more like
// this", so kho picks the units that characterise the story (see
// related_terms.go), asks for the articles that share most of them, and
// folds near-identical copies into one hit whose AlsoIn lists the other
// sources.
//
// With WindowDays, only articles published within that many days of the
// article (of now, for a draft) are returned; articles without a date are
// left out then. Without it, articles nearer the article's date rank a little
// higher, and the newer of two equal scores comes first.
func (ix *Index) Related(ctx context.Context, req RelatedRequest) ([]Hit, error) {
	rs, err := ix.related(ctx, req, defaultTuning, "")
	if err != nil {
		return nil, err
	}
	out := make([]Hit, len(rs))
	for i, r := range rs {
		out[i] = r.Hit
	}
	return out, nil
}

// relatedHit is a related story with the keys of the copies folded into it.
type relatedHit struct {
	Hit
	copies []string
	text   string // summary and body, to recognize copies
}

// story is what Related compares the archive with.
type story struct {
	id        string
	parts     []part
	published time.Time // zero for a draft or an undated article
}

// related does the work of Related. exclude names one more article to leave
// out (the evaluation uses it to treat an indexed article as a draft).
func (ix *Index) related(ctx context.Context, req RelatedRequest, t relatedTuning, exclude string) ([]relatedHit, error) {
	size := req.Size
	if size <= 0 {
		size = 10
	}
	st, err := ix.story(ctx, req, t)
	if err != nil {
		return nil, err
	}
	units, marked := profile(st.parts)
	dfs, err := ix.docFreqReader()
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	var own uint64
	if st.id != "" {
		own = 1
	}
	chosen, err := selectUnits(ctx, units, marked, own, dfs, t)
	dfs.Close()
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	if len(chosen) == 0 {
		return nil, nil
	}
	q := relatedQuery(chosen, marked, t)
	if req.WindowDays > 0 {
		if center, ok := windowCenter(st); ok {
			d := time.Duration(req.WindowDays) * 24 * time.Hour
			inclusive := true
			q = query.NewConjunctionQuery([]query.Query{q, dateRange(center.Add(-d), center.Add(d), &inclusive)})
		}
	}
	sr := bleve.NewSearchRequestOptions(q, t.candidates(size), 0, false)
	sr.Fields = []string{FieldTitle, FieldSummary, FieldBody, FieldURL, FieldSource,
		FieldCategory, FieldAuthor, FieldPublished}
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	hits := make([]relatedHit, 0, len(res.Hits))
	for _, dm := range res.Hits {
		if dm.ID != st.id && dm.ID != exclude {
			hits = append(hits, relatedHit{Hit: ix.hit(dm), text: storedText(dm)})
		}
	}
	if req.WindowDays <= 0 {
		nearDate(hits, st.published, t)
	}
	hits = foldCopies(hits, t)
	if len(hits) > size {
		hits = hits[:size]
	}
	return hits, nil
}

func storedText(dm *search.DocumentMatch) string {
	summary, _ := dm.Fields[FieldSummary].(string)
	body, _ := dm.Fields[FieldBody].(string)
	return summary + "\n" + body
}

// story reads the article or the draft a request is about.
func (ix *Index) story(ctx context.Context, req RelatedRequest, t relatedTuning) (story, error) {
	if req.ID == "" {
		lead, rest := splitLead(req.Text, t.leadBytes)
		return story{parts: storyParts(req.Title, lead, rest, t)}, nil
	}
	a, err := ix.Article(ctx, req.ID)
	if err != nil {
		return story{}, fmt.Errorf("related: %w", err)
	}
	lead, rest := a.Summary, a.Body
	if strings.TrimSpace(lead) == "" {
		lead, rest = splitLead(a.Body, t.leadBytes)
	}
	return story{id: a.ID, published: a.Published, parts: storyParts(a.Title, lead, rest, t)}, nil
}

func storyParts(title, lead, body string, t relatedTuning) []part {
	return []part{
		{title, t.titleWeight},
		{lead, t.leadWeight},
		{cutAtSpace(body, t.maxBodyBytes), 1},
	}
}

// splitLead takes the first paragraph of a text, or its first sentences when
// paragraphs are long, as the lead.
func splitLead(text string, maxBytes int) (lead, rest string) {
	if i := strings.Index(text, "\n"); i >= 0 && i <= maxBytes {
		return text[:i], text[i:]
	}
	lead = cutAtSpace(text, maxBytes)
	return lead, text[len(lead):]
}

// cutAtSpace shortens text to at most n bytes, ending at a space.
func cutAtSpace(text string, n int) string {
	if len(text) <= n {
		return text
	}
	if i := strings.LastIndexByte(text[:n], ' '); i > 0 {
		return text[:i]
	}
	return text[:n]
}

// windowCenter is the date a window is measured from: the article's, or now
// for a draft. An undated article has none.
func windowCenter(st story) (time.Time, bool) {
	switch {
	case !st.published.IsZero():
		return st.published, true
	case st.id == "":
		return time.Now(), true
	}
	return time.Time{}, false
}

// relatedQuery asks for articles sharing the chosen units, each weighted by
// how characteristic it is and where it would match.
func relatedQuery(units []*unit, marked bool, t relatedTuning) query.Query {
	var alts []query.Query
	for _, u := range units {
		for _, f := range t.fields {
			boost := u.weight * t.fieldBoost[f]
			if u.pair {
				if t.pairsAsPhrases {
					syls := strings.Fields(u.folded)
					alts = append(alts, term(pair(syls[0], syls[1]), f+PairsSuffix, boost))
				}
				continue
			}
			alts = append(alts, term(u.folded, f, boost))
			if marked && t.exactBoost > 0 && vntext.HasDiacritics(u.exact) {
				alts = append(alts, term(u.exact, f+ExactSuffix, boost*t.exactBoost))
			}
		}
	}
	return query.NewDisjunctionQuery(alts)
}

// nearDate raises the score of articles published near the story's date a
// little, then orders by score, the newer first among equals.
func nearDate(hits []relatedHit, center time.Time, t relatedTuning) {
	if !center.IsZero() && t.dateBoost > 0 {
		for i := range hits {
			p := hits[i].Published
			if p.IsZero() {
				continue
			}
			days := math.Abs(p.Sub(center).Hours() / 24)
			hits[i].Score *= 1 + t.dateBoost/(1+days/t.dateScaleDays)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Published.After(hits[j].Published)
	})
}
