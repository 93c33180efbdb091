package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	uq "kho/internal/query"
	"kho/internal/vntext"
)

// Relevance on the real corpus: known-item queries built from its titles
// and summaries (the one article they were taken from must rank first), and
// an ambiguity set of words whose folded form several words share (the
// form typed must fill the first page). The floors are those of issue 4;
// every figure goes to BENCHMARKS.md. Run with -v to see the tables.

// Kinds of known-item queries.
const (
	kindFolded   = "whole title, folded"
	kindWritten  = "whole title, as written"
	kindFragment = "title fragment (4–6 syllables), folded"
	kindOldTone  = "whole title, old tone placement"
	kindNFD      = "whole title, NFD"
	kindPhrase   = `"phrase" of 5 syllables from the summary`
)

var itemKinds = []string{kindFolded, kindWritten, kindFragment, kindOldTone, kindNFD, kindPhrase}

// titlesPerFile is how many titles of each corpus file the known-item set
// samples: 6 files × 40 titles, about 1,200 queries in all.
const titlesPerFile = 40

// knownItem is a query whose answer is one article.
type knownItem struct {
	kind   string
	query  string
	target string // article id
}

// knownItems samples titles of each corpus file (seeded, so the set is the
// same on every run) and makes the queries of every kind for each. Titles
// shorter than 4 syllables or shared by another article are skipped: they
// have no single right answer.
func knownItems(docs []corpusDoc) []knownItem {
	count := map[string]int{}
	for _, d := range docs {
		count[foldedWords(d.Article.Title)]++
	}
	var items []knownItem
	for fi, file := range corpusFiles {
		var pool []corpusDoc
		for _, d := range docs {
			t := d.Article.Title
			if d.File == file && len(vntext.Syllables(t)) >= 4 && count[foldedWords(t)] == 1 {
				pool = append(pool, d)
			}
		}
		rng := rand.New(rand.NewPCG(2026, uint64(fi)))
		rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		for _, d := range pool[:min(titlesPerFile, len(pool))] {
			items = append(items, itemsOf(d, rng)...)
		}
	}
	return items
}

// itemsOf makes the known-item queries of one article. A title is typed the
// way a user would type it: its syllables separated by spaces, without the
// punctuation (quotes or a leading dash would mean something else).
func itemsOf(d corpusDoc, rng *rand.Rand) []knownItem {
	a := d.Article
	written := typed(a.Title)
	item := func(kind, q string) knownItem {
		return knownItem{kind: kind, query: q, target: a.ID}
	}
	syls := strings.Fields(written)
	n := min(len(syls), 4+rng.IntN(3))
	start := rng.IntN(len(syls) - n + 1)
	out := []knownItem{
		item(kindFolded, vntext.Fold(written)),
		item(kindWritten, written),
		item(kindFragment, vntext.Fold(strings.Join(syls[start:start+n], " "))),
		item(kindNFD, norm.NFD.String(written)),
	}
	if old := oldTonePlacement(written); old != written {
		out = append(out, item(kindOldTone, old))
	}
	text := a.Summary
	if text == "" {
		text = a.Body // dantri, 24h and vims have no summary: their lead is the body's start
	}
	if ws := strings.Fields(typed(firstBytes(text, 1000))); len(ws) >= 5 {
		i := rng.IntN(len(ws) - 4)
		out = append(out, item(kindPhrase, `"`+strings.Join(ws[i:i+5], " ")+`"`))
	}
	return out
}

// typed is text as syllables separated by single spaces.
func typed(text string) string {
	syls := vntext.Syllables(text)
	out := make([]string, len(syls))
	for i, s := range syls {
		out[i] = s.Text
	}
	return strings.Join(out, " ")
}

func foldedWords(text string) string { return vntext.Fold(typed(text)) }

func firstBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// Tone marks as combining characters (NFD).
const toneMarks = "\u0300\u0301\u0303\u0309\u0323"

// oldTonePlacement rewrites the open syllables oa, oe and uy (not after q)
// to the old convention that puts the tone on the second vowel: hòa → hoà,
// khỏe → khoẻ, thủy → thuỷ. Other syllables stay as they are.
func oldTonePlacement(text string) string {
	fs := strings.Split(text, " ")
	for i, w := range fs {
		fs[i] = oldToneSyllable(w)
	}
	return strings.Join(fs, " ")
}

func oldToneSyllable(w string) string {
	r := []rune(norm.NFD.String(w))
	// The syllable must end in vowel, tone, vowel: o◌̀a, o◌̉e, u◌̉y.
	n := len(r)
	if n < 3 || !strings.ContainsRune(toneMarks, r[n-2]) {
		return w
	}
	pair := strings.ToLower(string([]rune{r[n-3], r[n-1]}))
	if pair != "oa" && pair != "oe" && pair != "uy" {
		return w
	}
	if n >= 4 && strings.ToLower(string(r[n-4])) == "q" {
		return w
	}
	r[n-2], r[n-1] = r[n-1], r[n-2]
	return norm.NFC.String(string(r))
}

// searcher answers a query string with the ids of the first page.
type searcher func(ctx context.Context, q string) ([]string, error)

// khoSearcher runs queries the way GET /api/search does.
func khoSearcher(ix *Index) searcher {
	return func(ctx context.Context, q string) ([]string, error) {
		node, err := uq.Parse(q)
		if err != nil {
			return nil, fmt.Errorf("parse %q: %w", q, err)
		}
		res, err := ix.Search(ctx, SearchRequest{Query: node, Text: q, Page: 1, Size: 10})
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
}

// ranks runs every item and returns the 1-based rank of its target in the
// first page, 0 when absent. Queries run on all cores.
func ranks(tb testing.TB, search searcher, items []knownItem) []int {
	out := make([]int, len(items))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				ids, err := search(context.Background(), items[i].query)
				if err != nil {
					tb.Error(err)
					continue
				}
				out[i] = slices.Index(ids, items[i].target) + 1
			}
		})
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// itemMetrics are the known-item figures of one kind of query.
type itemMetrics struct {
	n              int
	mrr, at1, at10 float64 // MRR@10, success@1, success@10
}

func metricsByKind(items []knownItem, rs []int) map[string]itemMetrics {
	m := map[string]itemMetrics{}
	for i, it := range items {
		k := m[it.kind]
		k.n++
		if r := rs[i]; r > 0 {
			k.mrr += 1 / float64(r)
			k.at10++
			if r == 1 {
				k.at1++
			}
		}
		m[it.kind] = k
	}
	for kind, k := range m {
		k.mrr, k.at1, k.at10 = k.mrr/float64(k.n), k.at1/float64(k.n), k.at10/float64(k.n)
		m[kind] = k
	}
	return m
}

func (m itemMetrics) String() string {
	return fmt.Sprintf("%4d queries  MRR@10 %.3f  success@1 %.3f  success@10 %.3f", m.n, m.mrr, m.at1, m.at10)
}

func TestRelevanceKnownItems(t *testing.T) {
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	items := knownItems(docs)
	rs := ranks(t, khoSearcher(ix), items)
	m := metricsByKind(items, rs)
	for _, k := range itemKinds {
		t.Logf("%-42s %s", k, m[k])
	}
	floors := []struct {
		kind  string
		value float64
		got   float64
		what  string
	}{
		{kindFolded, 0.95, m[kindFolded].mrr, "MRR@10"},
		{kindFragment, 0.9, m[kindFragment].at10, "success@10"},
	}
	for _, f := range floors {
		if f.got < f.value {
			t.Errorf("%s: %s %.3f, floor %.2f", f.kind, f.what, f.got, f.value)
		}
	}
	// Tone placement and Unicode form must not change the answer at all.
	writtenRank := map[string]int{}
	for i, it := range items {
		if it.kind == kindWritten {
			writtenRank[it.target] = rs[i]
		}
	}
	for i, it := range items {
		if it.kind != kindOldTone && it.kind != kindNFD {
			continue
		}
		if got, want := rs[i], writtenRank[it.target]; got != want {
			t.Errorf("%s %q: rank %d, the NFC title as written ranks %d", it.kind, it.query, got, want)
		}
	}
	if testing.Verbose() {
		for i, it := range items {
			if it.kind == kindFolded || it.kind == kindFragment {
				if rs[i] != 1 {
					t.Logf("rank %2d  %-10s %q", rs[i], it.kind[:10], it.query)
				}
			}
		}
	}
}

func TestOldTonePlacement(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hòa bình", "hoà bình"},
		{"sức khỏe", "sức khoẻ"},
		{"Thủy điện", "Thuỷ điện"},
		{"quý tộc", "quý tộc"},       // qu is a consonant
		{"toàn quyền", "toàn quyền"}, // closed syllables keep their tone
		{"Hòa Bình", "Hoà Bình"},     // case kept
		{"hoa hồng", "hoa hồng"},     // no tone
		{"thủy thủ", "thuỷ thủ"},     // only the open uy
	}
	for _, tc := range tests {
		if got := oldTonePlacement(tc.in); got != tc.want {
			t.Errorf("oldTonePlacement(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Ambiguity set: syllables typed with diacritics whose folded form other
// frequent syllables share (đường, dương, đương all fold to duong).
const (
	ambiguousGroups = 30  // the most frequent folded forms with several written forms
	ambiguousMinDF  = 100 // a written form counts when this many bodies have it
)

// ambiguousWord is one written form of a shared folded form.
type ambiguousWord struct {
	exact  string // as the exact analyzer spells it
	df     int    // texts that contain it
	others int    // texts that contain the other forms
}

// ambiguousWords reads the exact text terms of the index and returns the
// written forms (with diacritics) of the most frequent folded forms that
// have two or more frequent written forms.
func ambiguousWords(tb testing.TB, ix *Index) []ambiguousWord {
	dict, err := ix.bleve.FieldDict(FieldText + ExactSuffix)
	if err != nil {
		tb.Fatal(err)
	}
	defer dict.Close()
	groups := map[string][]ambiguousWord{}
	for {
		e, err := dict.Next()
		if err != nil {
			tb.Fatal(err)
		}
		if e == nil {
			break
		}
		if int(e.Count) < ambiguousMinDF || isNumber(e.Term) {
			continue
		}
		f := vntext.Fold(e.Term)
		groups[f] = append(groups[f], ambiguousWord{exact: e.Term, df: int(e.Count)})
	}
	type group struct {
		folded string
		total  int
		forms  []ambiguousWord
	}
	var gs []group
	for f, forms := range groups {
		if len(forms) < 2 {
			continue
		}
		g := group{folded: f, forms: forms}
		for _, w := range forms {
			g.total += w.df
		}
		gs = append(gs, g)
	}
	slices.SortFunc(gs, func(a, b group) int { return b.total - a.total })
	var out []ambiguousWord
	for _, g := range gs[:min(ambiguousGroups, len(gs))] {
		for _, w := range g.forms {
			if vntext.HasDiacritics(w.exact) {
				w.others = g.total - w.df
				out = append(out, w)
			}
		}
	}
	slices.SortFunc(out, func(a, b ambiguousWord) int { return strings.Compare(a.exact, b.exact) })
	return out
}

// textOf finds an article's text by id: the relevance test checks hits
// against the corpus, not against what the engine stored.
type textOf func(id string) string

func corpusText(docs []corpusDoc) textOf {
	byID := make(map[string]corpusDoc, len(docs))
	for _, d := range docs {
		byID[d.Article.ID] = d
	}
	return func(id string) string {
		a := byID[id].Article
		if a == nil {
			return ""
		}
		return a.Title + "\n" + a.Summary + "\n" + a.Body + "\n" + strings.Join(a.Captions, "\n")
	}
}

// precisionAt10 runs each word as a query and returns, per word, the share
// of the first page that contains the word exactly as typed.
func precisionAt10(tb testing.TB, search searcher, text textOf, ws []ambiguousWord) []float64 {
	out := make([]float64, len(ws))
	for i, w := range ws {
		ids, err := search(context.Background(), w.exact)
		if err != nil {
			tb.Fatal(err)
		}
		if len(ids) == 0 {
			continue
		}
		exact := 0
		for _, id := range ids {
			if slices.Contains(Analyze(text(id)).ExactTerms, w.exact) {
				exact++
			}
		}
		out[i] = float64(exact) / float64(len(ids))
	}
	return out
}

func TestRelevanceAmbiguity(t *testing.T) {
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	ws := ambiguousWords(t, ix)
	if len(ws) < 40 {
		t.Fatalf("only %d ambiguous words in the corpus; the set needs at least 40", len(ws))
	}
	ps := precisionAt10(t, khoSearcher(ix), corpusText(docs), ws)
	mean := 0.0
	for i, w := range ws {
		mean += ps[i]
		if testing.Verbose() && ps[i] < 1 {
			t.Logf("%-8s df %5d, other forms %6d: precision@10 %.1f", w.exact, w.df, w.others, ps[i])
		}
	}
	mean /= float64(len(ws))
	t.Logf("ambiguity set: %d words from the %d most frequent shared folded forms: precision@10 %.3f", len(ws), ambiguousGroups, mean)
	if mean < 0.9 {
		t.Errorf("precision@10 of the exact form %.3f, floor 0.90", mean)
	}
}
