package index

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"

	"kho/internal/article"
)

// document is an article as a map for bleve to walk with the mapping, the
// mapping's own way to build a document. The writer builds its documents
// itself (bleveDocument); the tests here check both give the same index, and
// other tests index through it.
func document(a *article.Article, loc *time.Location) map[string]any {
	d := map[string]any{
		FieldTitle:         a.Title,
		FieldSource:        a.Source,
		FieldPublishedFrom: a.PublishedFrom,
		FieldHash:          ContentHash(a),
	}
	setString(d, FieldSummary, a.Summary)
	setString(d, FieldBody, a.Body)
	setString(d, FieldURL, a.URL)
	setString(d, FieldAuthor, a.Author)
	setString(d, FieldCategory, a.Category)
	setStrings(d, FieldCaptions, a.Captions)
	setStrings(d, FieldReadingList, a.ReadingList)
	setStrings(d, FieldTags, a.Tags)
	month := ""
	if !a.Published.IsZero() {
		t := a.Published.In(loc)
		month = t.Format("2006-01")
		d[FieldPublished] = a.Published
		d[FieldYear] = t.Format("2006")
		d[FieldMonth] = month
	}
	d[FieldFacets] = facetTerm(month, a.Category, a.Source)
	return d
}

// indexArticle indexes a as the writer does, in a batch of its own.
func indexArticle(ix *Index, a *article.Article) error {
	b := ix.bleve.NewBatch()
	if err := b.IndexAdvanced(bleveDocument(a, ix.loc, ContentHash(a), ix.dia.model)); err != nil {
		return err
	}
	return ix.bleve.Batch(b)
}

func setString(d map[string]any, field, v string) {
	if v != "" {
		d[field] = v
	}
}

func setStrings(d map[string]any, field string, v []string) {
	if len(v) > 0 {
		d[field] = v
	}
}

// TestTextAnalysisMatchesAnalyzers: analyzing a text once for its three
// fields gives exactly the terms, counts and lengths of the analyzers the
// mapping gives those fields (folded, exact with marks only, pairs), each
// part analyzed on its own.
func TestTextAnalysisMatchesAnalyzers(t *testing.T) {
	analyzers := [3]analysis.Analyzer{termsFolded: analyzer(t, FoldedAnalyzer), termsExact: analyzer(t, MarkedAnalyzer),
		termsPairs: analyzer(t, PairsAnalyzer)}
	inputs := append([]string{"", " , ", "ÐBSCL thị\u0323 xã C\u200bảnh", "Covid-19 năm 2024", "Phe đối_lập"}, sentences...)
	for _, s := range sentences {
		inputs = append(inputs, norm.NFD.String(s), strings.ToUpper(s))
	}
	texts := [][]string{{sentences[0], sentences[1]}, {"Hà", "Nội"}, {"a a a", "a a", "b"}}
	for _, in := range inputs {
		texts = append(texts, []string{in})
	}
	// Twice, the second time backwards: what a text's analysis works out
	// for its syllables is kept for the next texts (syllableCache).
	for i := range texts {
		texts = append(texts, texts[len(texts)-1-2*i])
	}
	for _, parts := range texts {
		a := &textAnalysis{parts: parts}
		a.run()
		for kind, an := range analyzers {
			want, n := bleveindex.TokenFrequencies{}, 0
			for _, p := range parts {
				tokens := an.Analyze([]byte(p))
				want.MergeAll("", analysis.TokenFrequency(tokens, nil, indexOptions))
				n += len(tokens)
			}
			f := &analyzedField{text: a, kind: kind}
			if terms, _ := f.Terms(); len(terms) != len(f.AnalyzedTokenFrequencies()) {
				t.Errorf("%+q, kind %d: %d terms listed, %d distinct", parts, kind, len(terms), len(f.AnalyzedTokenFrequencies()))
			}
			if got, want := frequencies(f.AnalyzedTokenFrequencies()), frequencies(want); got != want || a.length[kind] != n {
				t.Errorf("%+q, kind %d:\n got %s (length %d)\nwant %s (length %d)", parts, kind, got, a.length[kind], want, n)
			}
		}
	}
}

func frequencies(tfs bleveindex.TokenFrequencies) string {
	var terms []string
	for term, tf := range tfs {
		if term != string(tf.Term) {
			return fmt.Sprintf("key %q holds term %q", term, tf.Term)
		}
		var locs []string
		for _, l := range tf.Locations {
			locs = append(locs, fmt.Sprintf("%v%d[%d:%d]", l.ArrayPositions, l.Position, l.Start, l.End))
		}
		terms = append(terms, fmt.Sprintf("%s×%d%v", term, tf.Frequency(), locs))
	}
	sort.Strings(terms)
	return strings.Join(terms, " ")
}

// docArticles cover every field, multi-valued ones with one and several
// values, and an undated article.
var docArticles = []article.Article{
	{ID: "a:1", Title: "Hoà bình, thuỷ lợi", Summary: "Tóm tắt ngắn.", Body: "Thân bài.\n\nĐoạn hai: Người dân TP.HCM.",
		Captions: []string{"Ảnh một", "Ảnh hai"}, ReadingList: []string{"Tin khác"}, Tags: []string{"thời sự", "mưa"},
		URL: "https://a.vn/1", Author: "Minh Hòa", Category: "Thời sự", Source: "a.vn",
		Published: time.Date(2024, 6, 30, 20, 0, 0, 0, time.UTC), PublishedFrom: article.FromMetadata},
	{ID: "b:2", Title: "Tin không ngày", Body: "Nguye\u0302\u0303n Va\u0306n", Tags: []string{"một"},
		Source: "b.vn", PublishedFrom: article.FromUnknown},
	{ID: "c:3", Title: "", Body: "Chỉ có thân bài.", Source: "c.vn", Captions: []string{"Chú thích"}, PublishedFrom: article.FromText,
		Published: time.Date(2001, 1, 1, 0, 0, 0, 0, hanoi)},
}

// TestBleveDocumentMatchesMapping: the writer's document has the same fields,
// stored values, options and analyzed terms (with frequencies and
// locations) as the mapping makes of document(a), and the text's syllable
// sequence, which the mapping does not make (TestTextSequence).
func TestBleveDocumentMatchesMapping(t *testing.T) {
	m := newMapping()
	for i := range docArticles {
		a := &docArticles[i]
		want := bdoc.NewDocument(a.ID)
		if err := m.MapDocument(want, document(a, hanoi)); err != nil {
			t.Fatal(err)
		}
		for i, f := range want.Fields {
			if dt, ok := f.(*bdoc.DateTimeField); ok {
				want.Fields[i] = fullPrecision{dt}
			}
		}
		got := bleveDocument(a, hanoi, ContentHash(a), nil)
		seqs := 0
		got.Fields = slices.DeleteFunc(got.Fields, func(f bdoc.Field) bool {
			if f.Name() == FieldText+SeqSuffix {
				seqs++
				return true
			}
			return false
		})
		if seqs != 1 {
			t.Errorf("%s: %d text sequences, want 1", a.ID, seqs)
		}
		if g, w := describe(got), describe(want); g != w {
			t.Errorf("%s:\n got %s\nwant %s", a.ID, g, w)
		}
	}
}

// fullPrecision is bleve's date field with only the term the writer indexes
// (dateField): the date at full precision, shift 0.
type fullPrecision struct{ *bdoc.DateTimeField }

func (f fullPrecision) AnalyzedLength() int { return 1 }

func (f fullPrecision) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies {
	out := bleveindex.TokenFrequencies{}
	for k, tf := range f.DateTimeField.AnalyzedTokenFrequencies() {
		if shift, err := numeric.PrefixCoded(tf.Term).Shift(); err == nil && shift == 0 {
			out[k] = tf
		}
	}
	return out
}

// describe renders a document's fields, analyzed, in a canonical order, as
// the index holds them: indexed fields that are not stored and have the same
// name are one field, with their terms and lengths added up (zap merges
// them), and without array positions, which only term vectors would keep.
func describe(d *bdoc.Document) string {
	var fields []string
	merged := map[string]bleveindex.Field{}
	lengths := map[string]int{}
	terms := map[string]bleveindex.TokenFrequencies{}
	d.VisitFields(func(f bleveindex.Field) {
		opts := f.Options()
		if !opts.IsIndexed() {
			fields = append(fields, fmt.Sprintf("%s%v %c %q opts=%d", f.Name(), f.ArrayPositions(), f.EncodedFieldType(), f.Value(), opts))
			return
		}
		f.Analyze()
		if opts.IsStored() || opts.IncludeDocValues() {
			fields = append(fields, fmt.Sprintf("%s%v %c %q opts=%d len=%d {%s}", f.Name(), f.ArrayPositions(), f.EncodedFieldType(),
				f.Value(), opts, f.AnalyzedLength(), frequencies(f.AnalyzedTokenFrequencies())))
			return
		}
		if merged[f.Name()] == nil {
			merged[f.Name()], terms[f.Name()] = f, bleveindex.TokenFrequencies{}
		}
		lengths[f.Name()] += f.AnalyzedLength()
		terms[f.Name()].MergeAll(f.Name(), f.AnalyzedTokenFrequencies())
	})
	for name, f := range merged {
		fields = append(fields, fmt.Sprintf("%s %c opts=%d len=%d {%s}", name, f.EncodedFieldType(), f.Options(),
			lengths[name], frequencies(terms[name])))
	}
	sort.Strings(fields)
	return strings.Join(fields, "\n")
}

// TestWriterIndexMatchesMapping: an index written by the Writer answers
// searches and returns articles exactly like one fed the mapping's documents.
func TestWriterIndexMatchesMapping(t *testing.T) {
	viaMapping, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer viaMapping.Close()
	// One batch, as the Writer writes them: bm25 scores depend on segments.
	b := viaMapping.bleve.NewBatch()
	for i := range testArticles {
		a := testArticles[i]
		a.PublishedFrom = article.FromMetadata
		if err := b.Index(a.ID, document(&a, hanoi)); err != nil {
			t.Fatal(err)
		}
	}
	if err := viaMapping.bleve.Batch(b); err != nil {
		t.Fatal(err)
	}
	viaWriter, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer viaWriter.Close()
	w := viaWriter.NewWriter(WriterOptions{})
	for i := range testArticles {
		a := testArticles[i]
		a.PublishedFrom = article.FromMetadata
		if err := w.Add(t.Context(), &a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []SearchRequest{
		{Query: words("ha", "noi")}, {Query: words("đường")}, {Query: words("duong")},
		{Sources: []string{"b.vn"}}, {}, {Query: words("dan", "van", "kheo")},
	} {
		q.Page, q.Size = 1, 10
		want, err := viaMapping.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := viaWriter.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		want.Took, got.Took = 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v:\n got %+v\nwant %+v", q.Query, got, want)
		}
	}
	for _, a := range testArticles {
		want, err1 := viaMapping.Article(t.Context(), a.ID)
		got, err2 := viaWriter.Article(t.Context(), a.ID)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("article %s:\n got %+v (%v)\nwant %+v (%v)", a.ID, got, err2, want, err1)
		}
	}
}

// BenchmarkDocument builds and analyzes the bleve documents of the Dân trí
// articles' bodies two ways: the mapping walking document(a), and the
// writer's bleveDocument.
func BenchmarkDocument(b *testing.B) {
	var arts []*article.Article
	var n int64
	for i, body := range benchBodies(b) {
		title, _, _ := strings.Cut(body, ".")
		arts = append(arts, &article.Article{ID: fmt.Sprint("d:", i), Title: title, Body: body, Source: "dantri.com.vn",
			Category: "Kinh doanh", Published: time.Date(2020, 1, 2, 3, 4, 5, 0, hanoi), PublishedFrom: article.FromMetadata})
		n += int64(len(body) + len(title))
	}
	analyze := func(d *bdoc.Document) {
		d.VisitFields(func(f bleveindex.Field) {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
		})
	}
	m := newMapping()
	b.Run("mapping", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range arts {
				d := bdoc.NewDocument(a.ID)
				if err := m.MapDocument(d, document(a, hanoi)); err != nil {
					b.Fatal(err)
				}
				analyze(d)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range arts {
				analyze(bleveDocument(a, hanoi, ContentHash(a), nil))
			}
		}
	})
}

// The syllable cache's front table finds the entry the cache's index
// holds, for syllables that share their first eight bytes, differ only in
// length, run past sixteen bytes, or collide in the table.
func TestSyllableCacheFront(t *testing.T) {
	syls := []string{"a", "a\x00", "nghiêng", "nghiềng", "nghiêngg", "trường", "trưởng", "người", "ngườI",
		"khuyếnkhích", "khuyếnkhíc", "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq", "abcdefghijklmnopqr"}
	for i := range 20_000 {
		syls = append(syls, fmt.Sprintf("x%d", i), fmt.Sprintf("ngườ%05d", i)) // the same first eight bytes
	}
	c := &syllableCache{}
	c.startText()
	for round := range 2 {
		for i := range syls {
			s := syls[i]
			if round == 1 {
				s = syls[len(syls)-1-i]
			}
			if got, want := c.lookup(s), c.syllable(s); got != want {
				t.Fatalf("round %d: %q: front gives entry %d (%q), the index %d", round, s, got, c.entries[got].form, want)
			}
		}
	}
	if len(c.entries) != len(syls) {
		t.Errorf("%d entries for %d syllables", len(c.entries), len(syls))
	}
}
