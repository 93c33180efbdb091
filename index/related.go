package index

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
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
	if err := ix.takeTurn(ctx); err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	defer ix.endTurn()
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
}

// story is what Related compares the archive with.
type story struct {
	id        string
	parts     []part
	published time.Time // zero for a draft or an undated article
}

// related does the work of Related. exclude names one more article to leave
// out (the evaluation uses it to treat an indexed article as a draft).
//
// It works in two steps. A bleve query for the story's most characteristic
// units gathers candidates; then each candidate is compared with the whole
// story, both weighed the same way (the cosine of their unit weights), which
// demotes an article that shares a few rare words but is about something
// else. Pairs of syllables count in the comparison, where they cost nothing;
// as phrase queries they would double the time of the search (BENCHMARKS.md).
func (ix *Index) related(ctx context.Context, req RelatedRequest, t relatedTuning, exclude string) ([]relatedHit, error) {
	size := req.Size
	if size <= 0 {
		size = 10
	}
	st, err := ix.story(ctx, req, t)
	if err != nil {
		return nil, err
	}
	dfs, err := ix.docFreqs()
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	defer dfs.Close()
	tp := tokenizeParts(st.parts)
	exact := tp.marked()
	units := tp.units(exact)
	var own uint64
	if st.id != "" {
		own = 1
	}
	if err := weigh(ctx, units, own, dfs, t); err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	chosen := characteristic(units, dfs.n, t)
	if len(chosen) == 0 {
		return nil, nil
	}
	res, err := ix.candidates(ctx, relatedQuery(chosen, t), st, req.WindowDays, t.candidates(size))
	if err != nil {
		return nil, err
	}
	cs := make([]*candidate, 0, len(res.Hits))
	for _, dm := range res.Hits {
		if dm.ID == st.id || dm.ID == exclude {
			continue
		}
		c, err := newCandidate(ctx, dm, units, exact, dfs, t)
		if err != nil {
			return nil, fmt.Errorf("related: %w", err)
		}
		cs = append(cs, c)
	}
	if req.WindowDays <= 0 {
		nearDate(cs, st.published, t)
	}
	rank(cs)
	cs = foldCopies(cs, size, t)
	out := make([]relatedHit, len(cs))
	for i, c := range cs {
		out[i] = relatedHit{Hit: ix.hit(c.dm), copies: c.copies}
		out[i].Score, out[i].AlsoIn = c.score, c.alsoIn
	}
	return out, nil
}

// candidates searches for the articles that share the chosen units, within
// the window when there is one.
func (ix *Index) candidates(ctx context.Context, q query.Query, st story, windowDays, n int) (*bleve.SearchResult, error) {
	if windowDays > 0 {
		if center, ok := windowCenter(st); ok {
			d := time.Duration(windowDays) * 24 * time.Hour
			window := columnFilter{from: center.Add(-d).UnixNano(), to: center.Add(d).UnixNano(), dated: true}
			q = &datedQuery{q: q, dates: window, cols: ix.columns}
		}
	}
	sr := bleve.NewSearchRequestOptions(q, n, 0, false)
	sr.Fields = []string{FieldTitle, FieldSummary, FieldBody, FieldURL, FieldSource,
		FieldCategory, FieldAuthor, FieldPublished}
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	return res, nil
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
// how characteristic it is and where it would match. The syllables with
// marks of a story written with diacritics search the exact fields
// (unit.exact): they are more precise than the folded ones, and their
// shorter posting lists make the search twice as fast.
func relatedQuery(units []*unit, t relatedTuning) query.Query {
	var alts []query.Query
	for _, u := range units {
		if u.pair {
			continue
		}
		suffix := ""
		if u.exact {
			suffix = ExactSuffix
		}
		for _, f := range t.fields {
			alts = append(alts, term(u.key, f+suffix, u.weight*t.fieldBoost[f]))
		}
	}
	return query.NewDisjunctionQuery(alts)
}
