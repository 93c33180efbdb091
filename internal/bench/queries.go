package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"kho/internal/article"
	"kho/internal/vntext"
)

// Query is one benchmark query, sent the same way to both engines: as the
// parameters of kho's GET /api/search.
type Query struct {
	Kind     string // what it stands for, e.g. "title, folded"
	Text     string // as a reader types it; "" lists the archive
	Source   string // filter
	Category string // filter
	Year     int    // filter: from Jan 1 to Dec 31 of that year; 0 none
	Newest   bool   // sort newest first instead of by relevance
}

// Values are the query's parameters in kho's API (and the FTS5 server's).
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if q.Source != "" {
		v.Set("source", q.Source)
	}
	if q.Category != "" {
		v.Set("category", q.Category)
	}
	if q.Year != 0 {
		v.Set("from", fmt.Sprintf("%04d-01-01", q.Year))
		v.Set("to", fmt.Sprintf("%04d-12-31", q.Year))
	}
	if q.Newest {
		v.Set("sort", "newest")
	}
	return v
}

func (q Query) String() string { return q.Values().Encode() }

// sampled is what a query is drawn from: one article's title and metadata.
type sampled struct {
	title, source, category string
	year                    int
}

// Sampler is an ingest sink that keeps a uniform random sample of the
// articles (reservoir sampling) and counts them and their text, so queries
// come from the archive being measured without holding it in memory.
type Sampler struct {
	rng       *rand.Rand
	size      int
	loc       *time.Location
	seen      int
	TextBytes int64
	sample    []sampled
}

// NewSampler keeps up to size articles, chosen with the given seed; years
// are counted in loc, the archive zone.
func NewSampler(size int, seed uint64, loc *time.Location) *Sampler {
	return &Sampler{rng: rand.New(rand.NewPCG(seed, 0x6b686f)), size: size, loc: loc}
}

// Add counts the article and may keep it.
func (s *Sampler) Add(_ context.Context, a *article.Article) error {
	s.seen++
	s.TextBytes += int64(a.TextBytes())
	x := sampled{title: a.Title, source: a.Source, category: a.Category}
	if !a.Published.IsZero() {
		x.year = a.Published.In(s.loc).Year()
	}
	if len(s.sample) < s.size {
		s.sample = append(s.sample, x)
	} else if j := s.rng.IntN(s.seen); j < s.size {
		s.sample[j] = x
	}
	return nil
}

// Flush does nothing: the sampler writes nowhere.
func (s *Sampler) Flush(context.Context) error { return nil }

// Articles is how many articles the sampler saw.
func (s *Sampler) Articles() int { return s.seen }

// Queries draws n queries from the sample, the mix a news archive's search
// box sees: title fragments of 1 to 5 syllables typed without diacritics or
// as written, some narrowed by a source, section or year or sorted by date,
// and an empty query (browsing with facets), alone or filtered.
func (s *Sampler) Queries(n int, seed uint64) []Query {
	rng := rand.New(rand.NewPCG(seed, 0x71))
	var out []Query
	for len(out) < n && len(s.sample) > 0 {
		a := s.sample[rng.IntN(len(s.sample))]
		frag, ok := fragment(a.title, 1+rng.IntN(5), rng)
		if !ok {
			continue
		}
		folded := vntext.Fold(frag)
		var q Query
		switch r := rng.IntN(100); {
		case r < 30:
			q = Query{Kind: "title, folded", Text: folded}
		case r < 60:
			q = Query{Kind: "title, as written", Text: frag}
		case r < 68:
			q = Query{Kind: "title + source", Text: folded, Source: a.source}
		case r < 76 && a.year != 0:
			q = Query{Kind: "title + year", Text: folded, Year: a.year}
		case r < 82 && a.category != "":
			q = Query{Kind: "title + section", Text: frag, Category: a.category}
		case r < 88:
			q = Query{Kind: "title, newest first", Text: folded, Newest: true}
		case r < 92:
			q = Query{Kind: "empty"}
		case r < 96 && a.year != 0:
			q = Query{Kind: "empty + year", Year: a.year}
		default:
			q = Query{Kind: "empty + source", Source: a.source}
		}
		out = append(out, q)
	}
	return out
}

// fragment picks n consecutive syllables of a title (fewer when the title is
// shorter), as they are written.
func fragment(title string, n int, rng *rand.Rand) (string, bool) {
	syls := vntext.Syllables(title)
	if len(syls) == 0 {
		return "", false
	}
	n = min(n, len(syls))
	start := rng.IntN(len(syls) - n + 1)
	words := make([]string, n)
	for i := range n {
		words[i] = syls[start+i].Text
	}
	return strings.Join(words, " "), true
}
