package index

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The comparisons below build a second full-corpus index and run every
// query several times: minutes, so they run only when asked for.
//
//	go test ./index/ -run 'TestRelevance' -relevance.compare -v
var compareFlag = flag.Bool("relevance.compare", false,
	"also measure the relevance sets against a plain bleve baseline and with tf-idf scoring")

// baselineAnalyzer is what a plain bleve setup would use for Vietnamese:
// the standard analyzer (Unicode words, lower case, English stop words)
// with bleve's asciifolding char filter in front.
const baselineAnalyzer = "baseline_standard_asciifolding"

func newBaselineMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	err := m.AddCustomAnalyzer(baselineAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, en.StopName},
	})
	if err != nil {
		return nil, err
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range []string{FieldTitle, FieldSummary, FieldBody} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = baselineAnalyzer
		fm.Store = false
		fm.IncludeInAll = false
		doc.AddFieldMappingsAt(f, fm)
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = baselineAnalyzer
	return m, nil
}

// baselineIndex indexes the same articles as corpusIndex with the plain
// mapping, in memory.
func baselineIndex(tb testing.TB, docs []corpusDoc) bleve.Index {
	m, err := newBaselineMapping()
	if err != nil {
		tb.Fatal(err)
	}
	b, err := bleve.NewMemOnly(m)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	start := time.Now()
	batch := b.NewBatch()
	for i, d := range docs {
		a := d.Article
		doc := map[string]any{FieldTitle: a.Title, FieldSummary: a.Summary, FieldBody: a.Body}
		if err := batch.Index(a.ID, doc); err != nil {
			tb.Fatal(err)
		}
		if batch.Size() == 1000 || i == len(docs)-1 {
			if err := b.Batch(batch); err != nil {
				tb.Fatal(err)
			}
			batch.Reset()
		}
	}
	tb.Logf("baseline index: %d articles in %s", len(docs), time.Since(start).Round(time.Second))
	return b
}

// baselineSearcher queries the plain index the way such setups usually do:
// the whole text as one match query per field (all words required, title
// weighted 3), or a match-phrase query when the text is quoted.
func baselineSearcher(b bleve.Index) searcher {
	return func(ctx context.Context, q string) ([]string, error) {
		phrase := strings.HasPrefix(q, `"`) && strings.HasSuffix(q, `"`) && len(q) > 1
		text := strings.Trim(q, `"`)
		var alts []query.Query
		for _, f := range []struct {
			name  string
			boost float64
		}{{FieldTitle, 3}, {FieldSummary, 1}, {FieldBody, 1}} {
			if phrase {
				p := query.NewMatchPhraseQuery(text)
				p.SetField(f.name)
				p.SetBoost(f.boost)
				alts = append(alts, p)
				continue
			}
			mq := query.NewMatchQuery(text)
			mq.SetField(f.name)
			mq.SetBoost(f.boost)
			mq.SetOperator(query.MatchQueryOperatorAnd)
			alts = append(alts, mq)
		}
		res, err := b.SearchInContext(ctx, bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(alts), 10, 0, false))
		if err != nil {
			return nil, fmt.Errorf("baseline search %q: %w", q, err)
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
}

// TestRelevanceBaseline measures the relevance sets on the plain bleve
// baseline, for BENCHMARKS.md. It asserts nothing about the baseline; it
// fails only when the baseline cannot be built or searched.
func TestRelevanceBaseline(t *testing.T) {
	if !*compareFlag {
		t.Skip("comparison with a plain bleve index: run with -relevance.compare")
	}
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	b := baselineIndex(t, docs)
	search := baselineSearcher(b)
	items := knownItems(docs)
	m := metricsByKind(items, ranks(t, search, items))
	for _, k := range itemKinds {
		t.Logf("baseline %-42s %s", k, m[k])
	}
	ws := ambiguousWords(t, ix)
	t.Logf("baseline ambiguity set: %d words: precision@10 %.3f", len(ws),
		mean(precisionAt10(t, search, corpusText(docs), ws)))
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// TestRelevanceScoringModels measures kho's own sets with each of bleve's
// scoring models on the same index: the model is read from the mapping at
// search time, so switching it needs no rebuild.
func TestRelevanceScoringModels(t *testing.T) {
	if !*compareFlag {
		t.Skip("comparison of scoring models: run with -relevance.compare")
	}
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	m, ok := ix.bleve.Mapping().(*mapping.IndexMappingImpl)
	if !ok {
		t.Fatalf("mapping is %T", ix.bleve.Mapping())
	}
	kept := m.ScoringModel
	t.Cleanup(func() { m.ScoringModel = kept })
	items := knownItems(docs)
	ws := ambiguousWords(t, ix)
	for _, model := range []string{"tfidf", "bm25"} {
		m.ScoringModel = model
		km := metricsByKind(items, ranks(t, khoSearcher(ix), items))
		for _, k := range itemKinds {
			t.Logf("%-5s %-42s %s", model, k, km[k])
		}
		t.Logf("%-5s ambiguity set: %d words: precision@10 %.3f", model, len(ws),
			mean(precisionAt10(t, khoSearcher(ix), corpusText(docs), ws)))
	}
}
