package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/vellum"

	"kho/internal/article"
)

// posting is one article's frequency and norm of a term.
type posting struct {
	doc  uint32
	freq uint64
	norm float64
}

// TestTermPostingsMatchZap: the frequencies and norms read from zap's
// chunks are the ones zap's own iterator gives, for every posting of every
// term of every segment, read in order and asked for article by article
// (each one, and a few far apart, which jumps over chunks).
func TestTermPostingsMatchZap(t *testing.T) {
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	words := strings.Fields("bóng đá tuyển thủ Hà Nội kinh tế giáo dục tuyển sinh mưa bão " +
		"đường sắt cao tốc nông nghiệp lúa gạo xuất khẩu bệnh viện")
	rng := rand.New(rand.NewPCG(7, 7))
	write := func(version int, ids func(i int) bool) {
		w := ix.NewWriter(WriterOptions{BatchSize: 4000})
		for i := range 3000 {
			if !ids(i) {
				continue
			}
			// Common words in most articles (postings in several chunks),
			// rare ones in few, each a random number of times.
			var body []string
			for j, word := range words {
				if rng.IntN(len(words)) >= j/2 {
					for range 1 + rng.IntN(1+j%5) {
						body = append(body, word)
					}
				}
			}
			if i%3 == 0 { // lengths of one and two bytes
				for range 40 + rng.IntN(260) {
					body = append(body, words[rng.IntN(len(words))])
				}
			}
			a := article.Article{ID: fmt.Sprintf("p:%d", i), Title: fmt.Sprintf("Bài %d bản %d", i, version),
				Body: strings.Join(body, " ") + "."}
			if err := w.Add(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	write(0, func(int) bool { return true })
	write(1, func(i int) bool { return i%5 == 2 }) // deletes in the first segment

	snap, done, err := ix.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	terms, chunked := 0, 0
	for _, ss := range snap.Segments() {
		for _, field := range ss.Fields() {
			dict, err := ss.Segment().Dictionary(field)
			if err != nil {
				t.Fatal(err)
			}
			it := dict.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
			for e, err := it.Next(); e != nil || err != nil; e, err = it.Next() {
				if err != nil {
					t.Fatal(err)
				}
				pl, err := dict.PostingsList([]byte(e.Term), nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				var want []posting
				zit := pl.Iterator(true, true, false, nil)
				for p, err := zit.Next(); p != nil || err != nil; p, err = zit.Next() {
					if err != nil {
						t.Fatal(err)
					}
					want = append(want, posting{uint32(p.Number()), p.Frequency(), p.Norm()})
				}
				where := fmt.Sprintf("%s:%s", field, e.Term)
				cp, ok := newChunkPostings(pl)
				if !ok {
					t.Fatalf("%s: zap's postings layout not recognized (zapFields %+v): terms go through zap's iterator", where, zapFields)
				}
				if len(cp.ends) > 1 {
					chunked++
				}
				terms++
				var got []posting
				for {
					d, freq, norm, ok, err := cp.next()
					if err != nil {
						t.Fatalf("%s: %v", where, err)
					}
					if !ok {
						break
					}
					got = append(got, posting{d, freq, norm})
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%s: read in order\n %v\nzap\n %v", where, got, want)
				}
				for _, step := range []int{1, 37} {
					// zap's layout, and the iterator where it is not known.
					fromChunks, _ := newChunkPostings(pl)
					for _, cp := range []termPostings{fromChunks, &iteratorPostings{it: pl.Iterator(true, true, false, nil)}} {
						atEvery(t, where, cp, want, step)
					}
				}
			}
		}
	}
	if terms < 100 || chunked < 10 {
		t.Fatalf("%d terms, %d in more than one chunk: the test should read more", terms, chunked)
	}
	t.Logf("%d terms, %d in more than one chunk", terms, chunked)
}

// atEvery asks cp for every step-th posting of want, in order, and for the
// article before it when that one has not the term.
func atEvery(t *testing.T, where string, cp termPostings, want []posting, step int) {
	t.Helper()
	for i := 0; i < len(want); i += step {
		p := want[i]
		if p.doc > 0 && (i == 0 || want[i-1].doc < p.doc-1) {
			// An article without the term on the way.
			if _, _, ok, err := cp.at(p.doc - 1); ok || err != nil {
				t.Fatalf("%s: article %d has it (%v)", where, p.doc-1, err)
			}
		}
		freq, norm, ok, err := cp.at(p.doc)
		if !ok || err != nil || freq != p.freq || norm != p.norm {
			t.Fatalf("%s: article %d (step %d): %d %v %v %v, zap %d %v", where, p.doc, step, freq, norm, ok, err, p.freq, p.norm)
		}
	}
}
