package index

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	segment "github.com/blevesearch/scorch_segment_api/v2"

	"kho/internal/article"
	uq "kho/internal/query"
)

// A phrase's codes count only where a code starts: the same bytes across
// two codes, or across a boundary, are not the phrase.
func TestSeqHasRunAtCodeBoundaries(t *testing.T) {
	code := func(s string) []byte { return appendSyllableCode(nil, []byte(s)) }
	a, b, c := code("ha"), code("noi"), code("moi")
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		seq, run []byte
		want     bool
	}{
		{join(a, b, c), join(a, b), true},
		{join(a, b, c), join(b, c), true},
		{join(a, b, c), join(a, c), false},
		{join(a, appendSeqBoundary(nil), b), join(a, b), false},
		{join(c, a, b), join(a, b), true},
		{join(b, a), join(a, b), false},
		// The run's bytes, one byte off a code's start.
		{join([]byte{a[1], a[2]}, b, []byte{0}), join(a[2:], b, []byte{0}), false},
		{join(a, b), nil, false},
		{nil, a, false},
	}
	for i, tc := range tests {
		if got := seqHasRun(tc.seq, tc.run); got != tc.want {
			t.Errorf("%d: seqHasRun(% x, % x) = %v, want %v", i, tc.seq, tc.run, got, tc.want)
		}
	}
}

// The sequence of a text is its folded syllables' codes, value after value
// with a boundary between them, after the header.
func TestTextSequence(t *testing.T) {
	a := &textAnalysis{parts: []string{"Dân vận,", "KHÉO tay"}, withSeq: true}
	a.run()
	want := []byte{seqHeader}
	for _, s := range []string{"dan", "van"} {
		want = appendSyllableCode(want, []byte(s))
	}
	want = appendSeqBoundary(want)
	for _, s := range []string{"kheo", "tay"} {
		want = appendSyllableCode(want, []byte(s))
	}
	if !bytes.Equal(a.seq, want) {
		t.Errorf("sequence % x, want % x", a.seq, want)
	}
	if a.counts[termsPairs].terms != nil {
		t.Errorf("a text with a sequence has pairs: %v", a.counts[termsPairs].terms)
	}
	for _, b := range a.seq[1:] {
		if b == 0xff {
			t.Fatalf("sequence % x holds zap's separator", a.seq)
		}
	}
}

// Phrases in the body are found from the sequences in doc values, which zap
// must carry through its merges; deleted and replaced articles drop out.
func TestTextPhrasesSurviveMerges(t *testing.T) {
	ix, w := bulkIndex(t, 4)
	ctx := context.Background()
	for i := range 30 {
		a := &article.Article{ID: fmt.Sprintf("t:%d", i), Title: fmt.Sprintf("Tin số %d", i),
			Source: "a.vn", PublishedFrom: article.FromUnknown}
		switch i % 3 {
		case 0:
			a.Body = "Người dân vận chuyển hàng qua sông."
		case 1:
			a.Body = "Công tác dân vận khéo ở khu phố."
		default:
			a.Summary, a.Body = "Nói về dân vận", "khéo léo"
		}
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	phrase := func(words ...string) string {
		t.Helper()
		r, err := ix.Search(ctx, SearchRequest{Query: uq.Phrase{Words: words}, Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d %s", r.Total, sortedWords(ids(r)))
	}
	check := func(when string, want map[string]string) {
		t.Helper()
		// Once by the search's own goroutine, once shared out among two.
		defer func(n uint64, procs int) {
			phraseChecksPerWorker = n
			runtime.GOMAXPROCS(procs)
		}(phraseChecksPerWorker, runtime.GOMAXPROCS(2))
		for _, perWorker := range []uint64{1 << 40, 2} {
			phraseChecksPerWorker = perWorker
			for q, w := range want {
				if got := phrase(strings.Fields(q)...); got != w {
					t.Errorf("%s, %d checks a worker, %q: got %s, want %s", when, perWorker, q, got, w)
				}
			}
		}
	}
	want := map[string]string{
		"dan van kheo":   "10 t:1 t:10 t:13 t:16 t:19 t:22 t:25 t:28 t:4 t:7", // not t:2…: the summary ends before khéo
		"dân vận chuyển": "10 t:0 t:12 t:15 t:18 t:21 t:24 t:27 t:3 t:6 t:9",
		"van kheo":       "10 t:1 t:10 t:13 t:16 t:19 t:22 t:25 t:28 t:4 t:7",
		"hang qua song":  "10 t:0 t:12 t:15 t:18 t:21 t:24 t:27 t:3 t:6 t:9",
		"song nguoi":     "0 ",
	}
	if n := segments(t, ix); n < 2 {
		t.Fatalf("%d segments; the test needs several", n)
	}
	check("before compacting", want)
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(t, ix); n != 1 {
		t.Fatalf("%d segments after compacting, want 1", n)
	}
	check("after compacting", want)

	// t:1 no longer has the phrase, t:4 is gone.
	if err := w.Add(ctx, &article.Article{ID: "t:1", Title: "Tin số 1", Body: "Khéo vận dân.", Source: "a.vn",
		PublishedFrom: article.FromUnknown}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, "t:4"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	want["dan van kheo"] = "8 t:10 t:13 t:16 t:19 t:22 t:25 t:28 t:7"
	want["van kheo"] = want["dan van kheo"]
	want["van dan"] = "1 t:1"
	check("after an update, a deletion and compacting", want)
}

// The sequences read straight from zap's bytes are those zap's
// VisitDocValues gives, article by article, in segments as the writer
// leaves them and as merges make them.
func TestSeqChunksMatchDocValues(t *testing.T) {
	ix, w := bulkIndex(t, 7)
	ctx := context.Background()
	words := []string{"dân", "vận", "khéo", "người", "hàng", "sông", "phố", "mưa"}
	for i := range 60 {
		a := &article.Article{ID: fmt.Sprintf("t:%d", i), Title: "Tin", Source: "a.vn", PublishedFrom: article.FromUnknown}
		for j := range i % 13 {
			a.Body += words[(i*j+j)%len(words)] + " "
		}
		if i%5 == 0 {
			a.Captions = []string{"dân vận", "khéo"}
		}
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	phrases := [][]string{{"dan", "van"}, {"van", "kheo"}, {"kheo"}, {"song", "pho", "mua"}}
	compare := func(when string) {
		snap, done, err := ix.snapshot()
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		found := 0
		for _, ss := range snap.Segments() {
			seg := ss.Segment()
			for _, p := range phrases {
				direct, err := newSegmentSeqs(seg, phraseCodes(p))
				if err != nil {
					t.Fatal(err)
				}
				if direct.ends == nil {
					t.Fatalf("%s: segment %T is read through VisitDocValues", when, seg)
				}
				visited := &segmentSeqs{dv: seg.(segment.DocValueVisitable), check: seqCheck{codes: phraseCodes(p)}}
				visited.visit = visited.check.visit
				for doc := range seg.Count() {
					d, err1 := direct.hasRun(doc)
					v, err2 := visited.hasRun(doc)
					if err1 != nil || err2 != nil || d != v {
						t.Fatalf("%s: %q in article %d: direct %v (%v), VisitDocValues %v (%v)", when, p, doc, d, err1, v, err2)
					}
					if d {
						found++
					}
				}
			}
		}
		if found == 0 {
			t.Fatalf("%s: no phrase found at all", when)
		}
	}
	compare("as written")
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	compare("compacted")
}
