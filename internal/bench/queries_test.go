package bench

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
	"kho/internal/vntext"
)

func TestQueryValues(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{Query{Text: "hà nội"}, "q=h%C3%A0+n%E1%BB%99i"},
		{Query{Text: "ha", Source: "a.vn", Newest: true}, "q=ha&sort=newest&source=a.vn"},
		{Query{Year: 2024, Category: "Thời sự"}, "category=Th%E1%BB%9Di+s%E1%BB%B1&from=2024-01-01&to=2024-12-31"},
		{Query{}, ""},
	}
	for _, tc := range tests {
		if got := tc.q.Values().Encode(); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.q, got, tc.want)
		}
	}
}

// sampleArchive feeds n articles with distinct titles to a sampler.
func sampleArchive(t *testing.T, size, n int) *Sampler {
	t.Helper()
	s := NewSampler(size, 7, hcm)
	for i := range n {
		a := &article.Article{
			Title:  "Bản tin số " + strings.Repeat("mới ", i%4) + "đêm nay " + time.Duration(i).String(),
			Body:   "Nội dung.",
			Source: []string{"a.vn", "b.vn"}[i%2], Category: "Thời sự",
			Published: time.Date(2000+i%20, 1, 2, 0, 0, 0, 0, hcm),
		}
		if err := s.Add(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestSamplerCountsAndDraws(t *testing.T) {
	s := sampleArchive(t, 50, 1000)
	if s.Articles() != 1000 || len(s.sample) != 50 {
		t.Fatalf("saw %d, kept %d; want 1000, 50", s.Articles(), len(s.sample))
	}
	if s.TextBytes < 1000*int64(len("Bản tin số đêm nay 0sNội dung.")) {
		t.Errorf("text bytes %d too few", s.TextBytes)
	}
	// A uniform sample of 50 out of 1,000 holds mostly later articles, not
	// the first 50 (titles end in the article's number, in ns).
	early := 0
	for _, x := range s.sample {
		var n int
		fmt.Sscanf(x.title[strings.LastIndex(x.title, " ")+1:], "%dns", &n)
		if n < 50 {
			early++
		}
	}
	if early > 15 {
		t.Errorf("%d of 50 sampled articles are among the first 50", early)
	}
	qs := s.Queries(200, 3)
	if len(qs) != 200 {
		t.Fatalf("%d queries, want 200", len(qs))
	}
	if !reflect.DeepEqual(qs, s.Queries(200, 3)) {
		t.Error("the same seed drew different queries")
	}
	kinds := map[string]int{}
	for _, q := range qs {
		kinds[q.Kind]++
		if n := len(vntext.Syllables(q.Text)); n > 5 {
			t.Errorf("%q: %d syllables, want at most 5", q.Text, n)
		}
		if strings.HasPrefix(q.Kind, "empty") != (q.Text == "") {
			t.Errorf("%s query with text %q", q.Kind, q.Text)
		}
	}
	for _, k := range []string{"title, folded", "title, as written", "title + source", "title + year",
		"title + section", "title, newest first", "empty", "empty + year", "empty + source"} {
		if kinds[k] == 0 {
			t.Errorf("no %q query among 200: %v", k, kinds)
		}
	}
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		p    float64
		want time.Duration
	}{{50, 5}, {99, 10}, {10, 1}, {0, 1}, {100, 10}}
	for _, tc := range tests {
		if got := Percentile(ds, tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := Percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
}

func TestStatusMemory(t *testing.T) {
	status := "Name:\tkho\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t9\n"
	rss, peak, err := statusMemory(strings.NewReader(status))
	if err != nil || rss != 100<<20 || peak != 200<<20 {
		t.Errorf("got %d, %d, %v; want %d, %d", rss, peak, err, 100<<20, 200<<20)
	}
	if _, _, err := statusMemory(strings.NewReader("Name:\tkho\n")); err == nil {
		t.Error("no VmRSS: want an error")
	}
}
