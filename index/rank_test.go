package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	uq "kho/internal/query"
)

// sameScore: kho adds a score's parts in bleve's order, but a disjunction
// of more than ten searchers adds them in the order of bleve's heap.
func sameScore(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// compareRanked runs req ranked by rankTree and by bleve and reports every
// difference in total, facets, page and scores. It returns bleve's total.
func compareRanked(t *testing.T, ix *Index, req SearchRequest) uint64 {
	t.Helper()
	ctx := context.Background()
	c := compileQuery(req.Query, false)
	order := dateOrderOf(req.Sort, len(c.must) > 0)
	f, ok := rankFilter(c, req, order)
	if !ok {
		t.Fatal("not a ranked search")
	}
	from := (req.Page - 1) * req.Size
	got, gotCounts, gotSuggestion, ranked, err := ix.searchRanked(ctx, c, req, f, from, req.Size)
	if err != nil {
		t.Fatal(err)
	}
	if !ranked {
		t.Fatal("rankTree did not take the query")
	}
	want, wantCounts, wantSuggestion, err := ix.searchBleve(ctx, c, req, order, from, req.Size)
	if err != nil {
		t.Fatal(err)
	}
	if gotSuggestion != wantSuggestion {
		t.Errorf("suggestion %q, bleve %q", gotSuggestion, wantSuggestion)
	}
	compareResults(t, got, want, gotCounts, wantCounts, true)
	return want.Total
}

// compareResults reports every difference between a result and bleve's:
// total, facet counts, and the page's articles, fields and scores. Scores
// must be equal; with summed, to 10⁻⁹, and two articles of such scores may
// swap places.
func compareResults(t *testing.T, got, want *bleve.SearchResult, gotCounts, wantCounts facetTally, summed bool) {
	t.Helper()
	if got.Total != want.Total {
		t.Errorf("total %d, bleve %d", got.Total, want.Total)
	}
	if !reflect.DeepEqual(gotCounts, wantCounts) {
		t.Errorf("facet counts\n %v\nbleve\n %v", gotCounts, wantCounts)
	}
	if len(got.Hits) != len(want.Hits) {
		t.Fatalf("%d hits, bleve %d", len(got.Hits), len(want.Hits))
	}
	for i := range got.Hits {
		g, w := got.Hits[i], want.Hits[i]
		same := g.Score == w.Score || summed && sameScore(g.Score, w.Score)
		if g.ID == w.ID && same && reflect.DeepEqual(g.Fields, w.Fields) {
			continue
		}
		// Two scores bleve adds up in another order may differ in the
		// last bit and swap places: allowed only between equal scores.
		if summed && i+1 < len(got.Hits) && same && sameScore(g.Score, got.Hits[i+1].Score) {
			continue
		}
		t.Errorf("hit %d: %s %v %v\nbleve: %s %v %v", i, g.ID, g.Score, g.Fields, w.ID, w.Score, w.Fields)
	}
}

// TestRankMatchesBleve: a search ranked by relevance gives the page, the
// scores, the total and the facets bleve gives, for every kind of query and
// filter, on an index of several segments with deleted articles.
func TestRankMatchesBleve(t *testing.T) {
	ix := browseArchive(t, 80)
	from23 := time.Date(2023, 1, 1, 0, 0, 0, 0, hanoi)
	to23 := time.Date(2024, 1, 1, 0, 0, 0, -1, hanoi)
	cases := map[string]SearchRequest{
		"word":                    {Query: words("kinh"), Page: 1, Size: 10},
		"word with diacritics":    {Query: words("giáo"), Text: "giáo", Page: 1, Size: 10},
		"words, second page":      {Query: words("ha", "noi"), Page: 2, Size: 5},
		"words typed with marks":  {Query: words("Hà", "Nội"), Text: "Hà Nội", Page: 1, Size: 10},
		"words in titles":         {Query: words("bài", "bản", "1"), Text: "bài bản 1", Page: 1, Size: 10},
		"word in every title":     {Query: words("bai"), Page: 3, Size: 10},
		"filtered":                {Query: words("ha", "noi"), Sources: []string{"a.vn", "b.vn"}, From: from23, Page: 1, Size: 10},
		"year and category":       {Query: words("tuyen"), From: from23, To: to23, Categories: []string{"Thể thao"}, Page: 1, Size: 10},
		"pair":                    {Query: uq.Phrase{Words: []string{"giáo", "dục"}}, Page: 1, Size: 5},
		"phrase of three":         {Query: uq.Phrase{Words: []string{"tuyen", "bong", "da"}}, Page: 1, Size: 10},
		"phrase read in the text": {Query: uq.Phrase{Words: []string{"về", "tuyển", "sinh"}}, Page: 1, Size: 10},
		"word of three":           {Query: uq.Word{Text: "đội-tuyển-bóng"}, Page: 1, Size: 10},
		"or":                      {Query: uq.Or{Nodes: []uq.Node{words("kinh"), uq.Phrase{Words: []string{"ha", "noi"}}}}, Page: 1, Size: 10},
		"or with diacritics":      {Query: uq.Or{Nodes: []uq.Node{words("giáo"), words("kinh")}}, Page: 1, Size: 10},
		"and not":                 {Query: uq.And{Nodes: []uq.Node{uq.Word{Text: "tuyển"}, uq.Not{Node: uq.Word{Text: "sinh"}}}}, Page: 1, Size: 10},
		"nested":                  {Query: uq.And{Nodes: []uq.Node{uq.Or{Nodes: []uq.Node{words("giao"), words("kinh")}}, uq.And{Nodes: []uq.Node{words("noi"), uq.Not{Node: words("te")}}}}}, Page: 1, Size: 10},
		"or of a nested not":      {Query: uq.Or{Nodes: []uq.Node{words("giao"), uq.And{Nodes: []uq.Node{words("ha"), uq.Not{Node: words("bong")}}}}}, Page: 1, Size: 10},
		"no such word":            {Query: words("khongco"), Page: 1, Size: 10},
		"past the end":            {Query: words("kinh"), Page: 9, Size: 10},
		"everything on one page":  {Query: words("noi", "dung"), Page: 1, Size: 100},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			total := compareRanked(t, ix, req)
			empty := name == "no such word"
			if empty != (total == 0) || !empty && total == ix.mustCount(t) && name != "everything on one page" && name != "word in every title" {
				t.Errorf("bleve found %d articles: the case tests nothing", total)
			}
		})
	}
}

// TestRankMatchesBleveOnCorpus: on the corpus, where queries of common
// syllables match tens of thousands of articles and most are never scored,
// the first pages are bleve's, query by query: titles as written and
// folded, fragments, phrases, single syllables, filtered or not.
func TestRankMatchesBleveOnCorpus(t *testing.T) {
	ix := corpusIndex(t)
	items := knownItems(corpus.docs)
	rng := rand.New(rand.NewPCG(7, 7))
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	var reqs []SearchRequest
	for _, it := range items[:min(120, len(items))] {
		node, err := uq.Parse(it.query)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, SearchRequest{Query: node, Text: it.query, Page: 1, Size: 10})
		if syls := strings.Fields(strings.Trim(it.query, `"`)); len(syls) > 1 {
			one := syls[rng.IntN(len(syls))]
			reqs = append(reqs, SearchRequest{Query: words(one), Text: one, Page: 1 + rng.IntN(3), Size: 10})
		}
	}
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, hanoi)
	reqs = append(reqs,
		SearchRequest{Query: words("việt", "nam"), Text: "việt nam", Page: 1, Size: 20},
		SearchRequest{Query: words("viet", "nam"), Text: "viet nam", From: from, Page: 2, Size: 10},
		SearchRequest{Query: words("có", "thể", "là"), Text: "có thể là", Page: 1, Size: 10},
		SearchRequest{Query: words("ha", "noi"), Text: "ha noi", Sources: []string{"dantri.com.vn"}, Page: 1, Size: 10},
	)
	big := 0
	for _, req := range reqs {
		t.Run(req.Text, func(t *testing.T) {
			if compareRanked(t, ix, req) > 5000 {
				big++
			}
		})
	}
	if big < 20 {
		t.Errorf("only %d searches matched more than 5,000 articles: pruning is hardly tested", big)
	}
}

// TestRankFacetsFollowDeletes: a search matching most of a segment counts
// its facets as the segment's live articles' counts less the others';
// after articles of the segment are deleted, those counts are made again,
// and the facets are still bleve's.
func TestRankFacetsFollowDeletes(t *testing.T) {
	ix := browseArchive(t, 80)
	ctx := context.Background()
	for k, q := range []uq.Node{words("bai"), words("tuyen")} { // in every title; in most bodies
		req := SearchRequest{Query: q, Page: 1, Size: 10}
		before := compareRanked(t, ix, req)
		for i := 3 + 5*k; i < 80; i += 10 {
			if err := ix.Delete(ctx, fmt.Sprintf("x:%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if after := compareRanked(t, ix, req); after >= before {
			t.Errorf("%v: %d matches after deletes, %d before", q, after, before)
		}
	}
}
