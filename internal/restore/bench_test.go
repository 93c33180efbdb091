package restore

import (
	"bytes"
	"runtime"
	"testing"
	"time"

	"kho/internal/shared"
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
	added, bytes := 0, 0
	for i := 0; b.Loop(); i++ {
		if i%50 != 0 {
			continue
		}
		batch := make([]string, 50)
		for j := range batch {
			batch[j] = texts[(i+j)%len(texts)]
			bytes += len(batch[j])
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
	b.ReportMetric(float64(bytes)/tokenize.Seconds()/1e6, "MB/s-tokenize")
	b.ReportMetric(float64(bytes)/add.Seconds()/1e6, "MB/s-add")
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

// BenchmarkReadFrom loads the saved model of the whole corpus, as a server
// does when it starts.
func BenchmarkReadFrom(b *testing.B) {
	c := loadCorpus(b)
	var saved bytes.Buffer
	if _, err := c.model.WriteTo(&saved); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(saved.Len()))
	for b.Loop() {
		if _, err := NewModel().ReadFrom(bytes.NewReader(saved.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLearnCorpus learns the whole corpus (42,562 articles: title,
// summary and body) into a fresh model, and tokenizes it alone for
// comparison. It reports process CPU seconds, to set beside the CPU of
// `kho ingest` on the same corpus (BENCHMARKS.md, issue 3). Run with
// -benchtime 1x.
func BenchmarkLearnCorpus(b *testing.B) {
	dir := shared.Dir(b) + "/corpus/"
	var texts []string
	articles := 0
	for _, name := range corpusFiles {
		err := eachRecord(dir+name, func(r corpusRecord) {
			texts = append(texts, r.Title, r.Summary, r.Body)
			articles++
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var tokenize, add time.Duration
	for b.Loop() {
		runtime.GC()
		start := processCPU()
		for _, t := range texts {
			vntext.Syllables(vntext.Normalize(t))
		}
		tokenize += processCPU() - start
		runtime.GC()
		start = processCPU()
		m := NewModel()
		for _, t := range texts {
			m.Add(t)
		}
		m.Flush()
		add += processCPU() - start
	}
	n := float64(b.N)
	b.ReportMetric(tokenize.Seconds()/n, "s-cpu-tokenize")
	b.ReportMetric(add.Seconds()/n, "s-cpu-add")
	b.ReportMetric(add.Seconds()/n/float64(articles)*1e6, "µs-cpu-add/article")
}
