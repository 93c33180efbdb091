package legacy

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"unicode/utf8"

	"kho/internal/shared"
)

// benchTexts returns real article bodies (the first 300 of tuoitre, which
// has decomposed Unicode too) or, without ../shared, the samples.
func benchTexts(b *testing.B) []string {
	b.Helper()
	benchOnce.Do(func() {
		if d, ok := shared.Find(); ok {
			if _, err := os.Stat(filepath.Join(d, "corpus", "tuoitre.jsonl.gz")); err == nil {
				readCorpusFiles(b, []string{"tuoitre"}, func(f corpusField) {
					if f.name == "body" && len(benchBodies) < 300 {
						benchBodies = append(benchBodies, f.text)
					}
				})
			}
		}
		if len(benchBodies) == 0 {
			for _, s := range samples {
				benchBodies = append(benchBodies, s.text())
			}
		}
	})
	return benchBodies
}

var (
	benchOnce   sync.Once
	benchBodies []string
)

func totalBytes(texts []string) int64 {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	return int64(n)
}

// BenchmarkBaselineValidUTF8 checks the same texts with utf8.ValidString:
// the floor to compare DetectString with on a noisy machine.
func BenchmarkBaselineValidUTF8(b *testing.B) {
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			if !utf8.ValidString(t) {
				b.Fatal("invalid")
			}
		}
	}
}

// BenchmarkDetectStringUnicode is the cost ingest pays on every field of a
// Unicode archive.
func BenchmarkDetectStringUnicode(b *testing.B) {
	texts := benchTexts(b)
	b.SetBytes(totalBytes(texts))
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			if e, _ := DetectString(t); e != Unicode {
				b.Fatalf("detected %v", e)
			}
		}
	}
}

// BenchmarkDecodeFieldLegacy converts the same texts written in TCVN3 and
// read as Windows-1252: the cost per legacy field.
func BenchmarkDecodeFieldLegacy(b *testing.B) {
	for _, e := range Legacy {
		b.Run(e.String(), func(b *testing.B) {
			var texts []string
			for _, t := range benchTexts(b) {
				enc, _ := Encode(t, e)
				texts = append(texts, CP1252(enc))
			}
			b.SetBytes(totalBytes(texts))
			b.ResetTimer()
			for b.Loop() {
				for _, t := range texts {
					DecodeField(t, Auto)
				}
			}
		})
	}
}
