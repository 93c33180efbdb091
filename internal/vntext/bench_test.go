package vntext

import (
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"kho/internal/shared"
)

// benchCorpus holds the bodies of the Dân trí articles, as published.
var benchCorpus struct {
	once   sync.Once
	bodies []string
	err    error
}

func loadBodies(b *testing.B) []string {
	path := shared.Corpus(b, "dantri.jsonl.gz")
	benchCorpus.once.Do(func() { benchCorpus.bodies, benchCorpus.err = readBodies(path) })
	if benchCorpus.err != nil {
		b.Fatal(benchCorpus.err)
	}
	return benchCorpus.bodies
}

func readBodies(path string) ([]string, error) {
	var bodies []string
	err := eachText(path, func(_, field, text string) {
		if field == "body" && text != "" {
			bodies = append(bodies, text)
		}
	})
	return bodies, err
}

// inputs returns the corpus bodies in the form a benchmark names: "nfc"
// (repaired, as ingest stores them) or "nfd" (fully decomposed).
func inputs(b *testing.B, form string) ([]string, int64) {
	bodies := loadBodies(b)
	out := make([]string, len(bodies))
	var n int64
	for i, s := range bodies {
		out[i] = Repair(s)
		if form == "nfd" {
			out[i] = norm.NFD.String(out[i])
		}
		n += int64(len(out[i]))
	}
	return out, n
}

// benchEach runs f on every text. Besides MB/s (wall time) it reports
// cpu-MB/s: bytes per second of CPU time of the benchmark's thread, the
// per-core figure, which the load of a shared machine does not distort.
func benchEach(b *testing.B, form string, f func(string)) {
	texts, n := inputs(b, form)
	b.SetBytes(n)
	b.ReportAllocs()
	lockThread()
	defer unlockThread()
	b.ResetTimer()
	cpu0 := threadCPU()
	for b.Loop() {
		for _, s := range texts {
			f(s)
		}
	}
	if cpu := threadCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

var sinkString string
var sinkTokens []Token

func BenchmarkFold(b *testing.B) {
	for _, form := range []string{"nfc", "nfd"} {
		b.Run(form, func(b *testing.B) { benchEach(b, form, func(s string) { sinkString = Fold(s) }) })
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, form := range []string{"nfc", "nfd"} {
		b.Run(form, func(b *testing.B) { benchEach(b, form, func(s string) { sinkString = Normalize(s) }) })
	}
}

func BenchmarkRepair(b *testing.B) {
	for _, form := range []string{"nfc", "nfd"} {
		b.Run(form, func(b *testing.B) { benchEach(b, form, func(s string) { sinkString = Repair(s) }) })
	}
}

func BenchmarkSyllables(b *testing.B) {
	for _, form := range []string{"nfc", "nfd"} {
		b.Run(form, func(b *testing.B) { benchEach(b, form, func(s string) { sinkTokens = Syllables(s) }) })
	}
}

// BenchmarkNormalizeSyllables is what the exact analyzer does: Normalize
// every syllable of a text on its own.
func BenchmarkNormalizeSyllables(b *testing.B) {
	benchEach(b, "nfc", func(s string) {
		for _, t := range Syllables(s) {
			sinkString = Normalize(t.Text)
		}
	})
}

// BenchmarkNFC is the baseline: x/text's NFC of the same text.
func BenchmarkNFC(b *testing.B) {
	for _, form := range []string{"nfc", "nfd"} {
		b.Run(form, func(b *testing.B) { benchEach(b, form, func(s string) { sinkString = norm.NFC.String(s) }) })
	}
}
