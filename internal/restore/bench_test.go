package restore

import (
	"testing"
	"time"

	"kho/internal/vntext"
)

// BenchmarkLearnRatio times tokenizing and Add on the same articles in
// alternating slices of 50, so both meet the same load on a shared machine,
// and reports Add's extra cost as a share of tokenizing. One op is one
// article tokenized and learned.
func BenchmarkLearnRatio(b *testing.B) {
	c := loadCorpus(b)
	texts := c.devTexts
	var tokenize, add time.Duration
	added := 0
	for i := 0; b.Loop(); i++ {
		if i%50 != 0 {
			continue
		}
		batch := make([]string, 50)
		for j := range batch {
			batch[j] = texts[(i+j)%len(texts)]
		}
		start := time.Now()
		for _, t := range batch {
			vntext.Syllables(vntext.Normalize(t))
		}
		tokenize += time.Since(start)
		start = time.Now()
		for _, t := range batch {
			c.model.Add(t)
		}
		add += time.Since(start)
		added += len(batch)
	}
	b.ReportMetric(float64(add-tokenize)/float64(tokenize), "extra/tokenize")
	b.ReportMetric(float64(tokenize.Microseconds())/float64(added), "µs-tokenize/article")
	b.ReportMetric(float64(add.Microseconds())/float64(added), "µs-add/article")
	b.StopTimer()
	for i := range added {
		c.model.Remove(texts[i%len(texts)])
	}
}

// BenchmarkRestore restores a 10-syllable query typed without diacritics
// with the model of the whole corpus.
func BenchmarkRestore(b *testing.B) {
	c := loadCorpus(b)
	const query = "chinh phu yeu cau bo nganh day nhanh giai ngan"
	if got, _ := c.model.Restore(query); got != "chính phủ yêu cầu bộ ngành đẩy nhanh giải ngân" {
		b.Fatalf("Restore(%q) = %q", query, got)
	}
	for b.Loop() {
		c.model.Restore(query)
	}
}

// BenchmarkRestoreTelex restores a 10-syllable query typed in Telex.
func BenchmarkRestoreTelex(b *testing.B) {
	c := loadCorpus(b)
	const query = "chinhs phur yeeu caauf booj nganhf ddaayr nhanh giair ngaan"
	if got, _ := c.model.Restore(query); got != "chính phủ yêu cầu bộ ngành đẩy nhanh giải ngân" {
		b.Fatalf("Restore(%q) = %q", query, got)
	}
	for b.Loop() {
		c.model.Restore(query)
	}
}
