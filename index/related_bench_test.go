package index

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkRelated asks for the related stories of clustered corpus articles
// in turn, by key and as drafts (title and body), in the full corpus index.
// Besides the mean it reports the median and the 99th percentile of the
// requests' latencies (p50-ms, p99-ms), the figures issue 5 sets limits on;
// run it with -benchtime=Nx for N requests.
func BenchmarkRelated(b *testing.B) {
	docs := corpusDocs(b)
	ix := corpusIndex(b)
	var arts []corpusDoc
	for i, d := range docs {
		if d.ClusterID != "" && i%7 == 0 {
			arts = append(arts, d)
		}
	}
	ctx := context.Background()
	run := func(b *testing.B, req func(a corpusDoc) RelatedRequest) {
		var took []time.Duration
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			if _, err := ix.Related(ctx, req(arts[i%len(arts)])); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		pct := func(p float64) float64 {
			return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(0.5), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
	}
	b.Run("article", func(b *testing.B) {
		run(b, func(d corpusDoc) RelatedRequest { return RelatedRequest{ID: d.Article.ID} })
	})
	b.Run("draft", func(b *testing.B) {
		run(b, func(d corpusDoc) RelatedRequest {
			return RelatedRequest{Title: d.Article.Title, Text: d.Article.Body}
		})
	})
}
