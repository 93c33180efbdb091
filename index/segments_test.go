package index

import (
	"context"
	"path/filepath"
	"testing"

	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"

	"kho/index/zapbuild"
	"kho/internal/article"
	"kho/internal/ingest"
	"kho/internal/shared"
)

// TestSegmentsSameAsZap builds segments of kho's own documents (the text
// analysis's fields, dates, word sequences, facets) with zapbuild and with
// zap, and requires the same bytes: the test archive, and the first
// articles of the corpus when ../shared is here.
func TestSegmentsSameAsZap(t *testing.T) {
	arts := archiveArticles(t, filepath.Join("..", "testdata", "archive"))
	if len(arts) < 20 {
		t.Fatalf("%d articles read from the test archive", len(arts))
	}
	t.Run("archive", func(t *testing.T) {
		if err := zapbuild.Verify(func() []bleveindex.Document { return analyzed(arts) }); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("corpus", func(t *testing.T) {
		arts := archiveArticles(t, filepath.Join(shared.Dir(t), "corpus", "vmds.jsonl.gz"))
		if len(arts) > 3000 {
			arts = arts[:3000]
		}
		if err := zapbuild.Verify(func() []bleveindex.Document { return analyzed(arts) }); err != nil {
			t.Fatal(err)
		}
	})
}

// TestMergesSameAsZap merges segments of kho's documents with zap's merge
// and with zapbuild's and requires the same file: the test archive in
// batches of 7, and 3,000 corpus articles in three.
func TestMergesSameAsZap(t *testing.T) {
	plugin := &zapbuild.Plugin{Fields: documentFields()}
	split := func(arts []*article.Article, n int) func() [][]bleveindex.Document {
		return func() [][]bleveindex.Document {
			var out [][]bleveindex.Document
			for len(arts) > 0 {
				k := min(n, len(arts))
				out = append(out, analyzed(arts[:k]))
				arts = arts[k:]
			}
			return out
		}
	}
	t.Run("archive", func(t *testing.T) {
		arts := archiveArticles(t, filepath.Join("..", "testdata", "archive"))
		if err := zapbuild.VerifyMerge(plugin, t.TempDir(), split(arts, 7)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("corpus", func(t *testing.T) {
		arts := archiveArticles(t, filepath.Join(shared.Dir(t), "corpus", "vmds.jsonl.gz"))
		arts = arts[:min(len(arts), 3000)]
		if err := zapbuild.VerifyMerge(plugin, t.TempDir(), split(arts, 1000)); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDocumentFieldsCoverDocuments: the fields every segment lists are the
// fields of kho's documents with their options; a document with another
// field, or other options, would make zap merge by decoding again.
func TestDocumentFieldsCoverDocuments(t *testing.T) {
	declared := documentFields()
	for _, d := range analyzed(archiveArticles(t, filepath.Join("..", "testdata", "archive"))) {
		d.VisitFields(func(f bleveindex.Field) {
			opts, ok := declared[f.Name()]
			if f.Name() == "_id" {
				return
			}
			if !ok || opts|f.Options() != opts {
				t.Errorf("%s: field %q with options %b, declared %b (%v)", d.ID(), f.Name(), f.Options(), opts, ok)
			}
		})
	}
}

// archiveArticles reads the articles of path with the ingest pipeline,
// collected as the corpus fixture collects them.
func archiveArticles(t testing.TB, path string) []*article.Article {
	t.Helper()
	var docs []corpusDoc
	if _, err := ingest.New(ingest.Options{Location: hanoi}).Run(context.Background(), []string{path}, &collectingSink{docs: &docs}); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	arts := make([]*article.Article, len(docs))
	for i, d := range docs {
		arts[i] = d.Article
	}
	return arts
}

// analyzed makes the documents the writer hands bleve, analyzed as scorch
// analyzes them before building a segment.
func analyzed(arts []*article.Article) []bleveindex.Document {
	docs := make([]bleveindex.Document, len(arts))
	for i, a := range arts {
		d := bleveDocument(a, hanoi, ContentHash(a), nil)
		d.AddIDField()
		d.VisitFields(func(f bleveindex.Field) {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
		})
		docs[i] = d
	}
	return docs
}

// BenchmarkSegmentBuild builds the segment of a 1,000-article batch of the
// corpus with zap's builder and with zapbuild.
func BenchmarkSegmentBuild(b *testing.B) {
	arts := archiveArticles(b, filepath.Join(shared.Dir(b), "corpus", "dantri.jsonl.gz"))
	arts = arts[:min(len(arts), 1000)]
	for _, p := range []struct {
		name   string
		plugin interface {
			New([]bleveindex.Document) (segment.Segment, uint64, error)
		}
	}{{"zap", &zap.ZapPlugin{}}, {"zapbuild", &zapbuild.Plugin{}}} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				docs := analyzed(arts)
				b.StartTimer()
				seg, _, err := p.plugin.New(docs)
				if err != nil {
					b.Fatal(err)
				}
				seg.Close()
			}
		})
	}
}
