package index

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kho/internal/article"
	"kho/internal/shared"
	"kho/internal/vntext"
)

// The full ../shared/corpus indexed once per test binary: building it takes
// minutes, so every corpus-wide test of this package (relevance, facet
// counts, related stories) shares one index through corpusIndex.

// corpusFiles are the six files of ../shared/corpus, largest last so a
// failure in a small file shows up early.
var corpusFiles = []string{
	"tuoitre.jsonl.gz", "24h.jsonl.gz", "vmds.jsonl.gz", "vims.jsonl.gz",
	"dantri.jsonl.gz", "baomoi.jsonl.gz",
}

// corpusIndexEnv names a directory to keep the corpus index in between test
// runs (for tuning by hand): when it holds an index it is opened, else it is
// built there and kept. Unset, the index lives in a temporary directory that
// TestMain removes.
const corpusIndexEnv = "KHO_CORPUS_INDEX"

// corpusDoc is one corpus record as indexed, with what evaluations need to
// know about where it came from.
type corpusDoc struct {
	File      string // corpus file name, e.g. "vmds.jsonl.gz"
	Segmented bool   // title and summary are word-segmented with "_" (vmds)
	ClusterID string // same-story cluster (vmds, vims); "" elsewhere
	Article   *article.Article
}

var corpus struct {
	docsOnce  sync.Once
	docs      []corpusDoc
	docsErr   error
	indexOnce sync.Once
	ix        *Index
	indexErr  error
	tempDir   string
}

// corpusDocs returns every record of ../shared/corpus as corpusIndex indexes
// it, in file order. It skips when ../shared is absent.
func corpusDocs(tb testing.TB) []corpusDoc {
	tb.Helper()
	dir := filepath.Join(shared.Dir(tb), "corpus")
	corpus.docsOnce.Do(func() {
		for _, name := range corpusFiles {
			docs, err := readCorpusFile(filepath.Join(dir, name))
			if err != nil {
				corpus.docsErr = err
				return
			}
			corpus.docs = append(corpus.docs, docs...)
		}
	})
	if corpus.docsErr != nil {
		tb.Fatal(corpus.docsErr)
	}
	return corpus.docs
}

// corpusIndex returns an on-disk index of every article of ../shared/corpus,
// built once per test binary and shared by all tests; callers must not
// close it or write to it. It skips when ../shared is absent.
func corpusIndex(tb testing.TB) *Index {
	tb.Helper()
	docs := corpusDocs(tb)
	corpus.indexOnce.Do(func() {
		corpus.ix, corpus.indexErr = openOrBuildCorpusIndex(tb, docs)
	})
	if corpus.indexErr != nil {
		tb.Fatal(corpus.indexErr)
	}
	return corpus.ix
}

func openOrBuildCorpusIndex(tb testing.TB, docs []corpusDoc) (*Index, error) {
	path := os.Getenv(corpusIndexEnv)
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return Open(path, Options{TimeZone: hanoi})
		}
	} else {
		dir, err := os.MkdirTemp("", "kho-corpus-")
		if err != nil {
			return nil, fmt.Errorf("corpus index: %w", err)
		}
		corpus.tempDir = dir
		path = filepath.Join(dir, "kho.bleve")
	}
	start := time.Now()
	ix, err := Create(path, Options{TimeZone: hanoi})
	if err != nil {
		return nil, err
	}
	if err := indexCorpus(ix, docs); err != nil {
		ix.Close()
		return nil, err
	}
	tb.Logf("corpus index: %d articles indexed in %s at %s", len(docs), time.Since(start).Round(time.Second), path)
	return ix, nil
}

// indexCorpus writes the articles in batches, the way the ingest writer does.
func indexCorpus(ix *Index, docs []corpusDoc) error {
	const batchSize = 1000
	b := ix.bleve.NewBatch()
	for i, d := range docs {
		if err := b.Index(d.Article.ID, document(d.Article, ix.loc)); err != nil {
			return fmt.Errorf("index %s: %w", d.Article.ID, err)
		}
		if b.Size() == batchSize || i == len(docs)-1 {
			if err := ix.bleve.Batch(b); err != nil {
				return fmt.Errorf("write batch ending at %s: %w", d.Article.ID, err)
			}
			b.Reset()
		}
	}
	return nil
}

// corpusRecord is the schema of ../shared/corpus/README.md.
type corpusRecord struct {
	ID        string          `json:"id"`
	URL       string          `json:"url"`
	Title     string          `json:"title"`
	Summary   string          `json:"summary"`
	Body      string          `json:"body"`
	Author    string          `json:"author"`
	Category  string          `json:"category"`
	Tags      []string        `json:"tags"`
	Published string          `json:"published"`
	Source    string          `json:"source"`
	ClusterID json.RawMessage `json:"cluster_id"`
	Segmented bool            `json:"title_summary_word_segmented"`
}

// readCorpusFile decodes one gzip JSON Lines file into articles keyed
// "<source>:<id>" (the file's stem when a record names no source), text
// repaired as ingest repairs it.
func readCorpusFile(path string) ([]corpusDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", path, err)
	}
	name := filepath.Base(path)
	stem := strings.TrimSuffix(name, ".jsonl.gz")
	var docs []corpusDoc
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		var r corpusRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("corpus %s line %d: %w", name, line, err)
		}
		a, err := r.article(stem)
		if err != nil {
			return nil, fmt.Errorf("corpus %s line %d: %w", name, line, err)
		}
		if a.Validate() != nil {
			continue // ingest skips it too
		}
		docs = append(docs, corpusDoc{File: name, Segmented: r.Segmented,
			ClusterID: strings.Trim(string(r.ClusterID), `"`), Article: a})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus %s: %w", name, err)
	}
	return docs, nil
}

func (r corpusRecord) article(stem string) (*article.Article, error) {
	source := article.SourceOf(r.Source, r.URL, stem)
	a := &article.Article{
		ID: article.Key(source, r.ID, r.URL, r.Title, r.Published, r.Body), URL: r.URL,
		Title: vntext.Repair(r.Title), Summary: vntext.Repair(r.Summary), Body: vntext.Repair(r.Body),
		Author: vntext.Repair(r.Author), Category: vntext.Repair(r.Category), Source: source,
		PublishedFrom: article.FromUnknown,
	}
	for _, t := range r.Tags {
		a.Tags = append(a.Tags, vntext.Repair(t))
	}
	if r.Published != "" {
		t, err := time.Parse(time.RFC3339, r.Published)
		if err != nil {
			return nil, fmt.Errorf("published: %w", err)
		}
		a.Published, a.PublishedFrom = t, article.FromMetadata
	}
	return a, nil
}

// TestMain removes the temporary corpus index after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if corpus.ix != nil {
		corpus.ix.Close()
	}
	if corpus.tempDir != "" {
		os.RemoveAll(corpus.tempDir)
	}
	os.Exit(code)
}
