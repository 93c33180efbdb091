package index

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// FIRST VERSION: ORs the syllables of the title and lead. The related-stories
// work replaces it with term selection, near-duplicate grouping and windows.

// Related finds the archive's other stories about the same event as an
// article or a draft.
func (ix *Index) Related(ctx context.Context, req RelatedRequest) ([]Hit, error) {
	title, text := req.Title, req.Text
	if req.ID != "" {
		a, err := ix.Article(ctx, req.ID)
		if err != nil {
			return nil, err
		}
		title, text = a.Title, a.Summary+"\n"+a.Body
	}
	if len(text) > 2000 {
		text = text[:strings.LastIndex(text[:2000], " ")+1]
	}
	seen := map[string]bool{}
	var alts []query.Query
	for i, part := range []string{title, text} {
		for _, s := range analyzeWords(part) {
			if seen[s.folded] || len(s.folded) < 2 {
				continue
			}
			seen[s.folded] = true
			alts = append(alts, term(s.folded, FieldTitle, float64(2-i)), term(s.folded, FieldBody, 1))
		}
	}
	if len(alts) == 0 {
		return nil, nil
	}
	var q query.Query = query.NewDisjunctionQuery(alts)
	if req.ID != "" {
		q = query.NewBooleanQuery([]query.Query{q}, nil, []query.Query{query.NewDocIDQuery([]string{req.ID})})
	}
	size := req.Size
	if size <= 0 {
		size = 10
	}
	sr := bleve.NewSearchRequestOptions(q, size, 0, false)
	sr.Fields = []string{FieldTitle, FieldSummary, FieldBody, FieldURL, FieldSource,
		FieldCategory, FieldAuthor, FieldPublished}
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, dm := range res.Hits {
		out = append(out, ix.hit(dm))
	}
	return out, nil
}
