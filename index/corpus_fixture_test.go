package index

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kho/internal/article"
	"kho/internal/ingest"
	"kho/internal/shared"
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

// corpusDoc is one article of the corpus as indexed, with what evaluations
// need to know about where it came from.
type corpusDoc struct {
	File      string // corpus file name, e.g. "vmds.jsonl.gz"
	ClusterID string // same-story cluster (vmds, vims); "" elsewhere
	Article   *article.Article
}

var corpus struct {
	once    sync.Once
	docs    []corpusDoc
	ix      *Index
	err     error
	tempDir string
}

// corpusIndex returns an on-disk index of every article of ../shared/corpus,
// ingested by the real pipeline (internal/ingest into a Writer), built once
// per test binary and shared by all tests; callers must not close it or
// write to it. It skips when ../shared is absent or under -short.
func corpusIndex(tb testing.TB) *Index {
	tb.Helper()
	loadCorpus(tb)
	return corpus.ix
}

// corpusDocs returns the articles corpusIndex holds, exactly as ingest
// stored them, in file order.
func corpusDocs(tb testing.TB) []corpusDoc {
	tb.Helper()
	loadCorpus(tb)
	return corpus.docs
}

func loadCorpus(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("the full-corpus index takes minutes to build; skipped under -short")
	}
	dir := filepath.Join(shared.Dir(tb), "corpus")
	corpus.once.Do(func() {
		corpus.docs, corpus.ix, corpus.err = openOrBuildCorpusIndex(tb, dir)
	})
	if corpus.err != nil {
		tb.Fatal(corpus.err)
	}
}

func openOrBuildCorpusIndex(tb testing.TB, dir string) ([]corpusDoc, *Index, error) {
	path := os.Getenv(corpusIndexEnv)
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			docs, err := ingestCorpus(dir, nil)
			if err != nil {
				return nil, nil, err
			}
			ix, err := Open(path, Options{TimeZone: hanoi})
			return docs, ix, err
		}
	} else {
		tmp, err := os.MkdirTemp("", "kho-corpus-")
		if err != nil {
			return nil, nil, fmt.Errorf("corpus index: %w", err)
		}
		corpus.tempDir = tmp
		path = filepath.Join(tmp, "kho.bleve")
	}
	start := time.Now()
	ix, err := Create(path, Options{TimeZone: hanoi})
	if err != nil {
		return nil, nil, err
	}
	docs, err := ingestCorpus(dir, ix)
	if err != nil {
		ix.Close()
		return nil, nil, err
	}
	tb.Logf("corpus index: %d articles ingested in %s into %s", len(docs), time.Since(start).Round(time.Second), path)
	return docs, ix, nil
}

// ingestCorpus runs the ingest pipeline over each corpus file, collecting
// the articles it produces and writing them to ix (when not nil).
func ingestCorpus(dir string, ix *Index) ([]corpusDoc, error) {
	ctx := context.Background()
	var docs []corpusDoc
	for _, name := range corpusFiles {
		path := filepath.Join(dir, name)
		clusters, err := readClusterIDs(path)
		if err != nil {
			return nil, err
		}
		in := ingest.New(ingest.Options{Location: hanoi})
		sink := &collectingSink{file: name, clusters: clusters, docs: &docs}
		if ix != nil {
			sink.next = ix.NewWriter(WriterOptions{OnResult: in.Outcome})
		}
		sum, err := in.Run(ctx, []string{path}, sink)
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", name, err)
		}
		if sum.Read == 0 {
			return nil, fmt.Errorf("ingest %s: no records read (%+v)", name, sum)
		}
	}
	return docs, nil
}

// collectingSink keeps every article ingest hands over and passes it on.
type collectingSink struct {
	file     string
	clusters map[string]string // record id → cluster id
	docs     *[]corpusDoc
	next     *Writer
}

func (s *collectingSink) Add(ctx context.Context, a *article.Article) error {
	_, recordID, _ := strings.Cut(a.ID, ":")
	*s.docs = append(*s.docs, corpusDoc{File: s.file, ClusterID: s.clusters[recordID], Article: a})
	if s.next == nil {
		return nil
	}
	return s.next.Add(ctx, a)
}

func (s *collectingSink) Flush(ctx context.Context) error {
	if s.next == nil {
		return nil
	}
	return s.next.Flush(ctx)
}

// readClusterIDs maps record ids to same-story cluster ids, which ingest
// does not keep; nil for files without clusters.
func readClusterIDs(path string) (map[string]string, error) {
	name := filepath.Base(path)
	if name != "vmds.jsonl.gz" && name != "vims.jsonl.gz" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", name, err)
	}
	out := map[string]string{}
	d := json.NewDecoder(zr)
	for line := 1; ; line++ {
		var r struct {
			ID        string          `json:"id"`
			ClusterID json.RawMessage `json:"cluster_id"`
		}
		if err := d.Decode(&r); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("corpus %s line %d: %w", name, line, err)
		}
		out[r.ID] = strings.Trim(string(r.ClusterID), `"`)
	}
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
