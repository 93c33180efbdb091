package restore

import (
	"testing"
	"time"

	"kho/internal/vntext"
)

// BenchmarkLearn compares learning an article (Add, into the model of the
// whole corpus) with only normalizing and tokenizing it, the least any
// ingest does with the text. One op is one held-out article.
func BenchmarkLearn(b *testing.B) {
	c := loadCorpus(b)
	texts := c.devTexts
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	avg := int64(size / len(texts))
	b.Run("tokenize", func(b *testing.B) {
		b.SetBytes(avg)
		for i := 0; b.Loop(); i++ {
			vntext.Syllables(vntext.Normalize(texts[i%len(texts)]))
		}
	})
	b.Run("add", func(b *testing.B) {
		b.SetBytes(avg)
		n := 0
		for i := 0; b.Loop(); i++ {
			c.model.Add(texts[i%len(texts)])
			n++
		}
		b.StopTimer()
		for i := range n {
			c.model.Remove(texts[i%len(texts)])
		}
	})
}

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
	if n := len(vntext.Syllables(query)); n != 10 {
		b.Fatalf("query has %d syllables", n)
	}
	got, _ := c.model.Restore(query)
	b.Logf("%s → %s", query, got)
	for b.Loop() {
		c.model.Restore(query)
	}
}
