package index

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"

	"kho/internal/article"
	"kho/internal/restore"
)

// The diacritics model (issue 9) lives beside bleve's files in the index
// directory: how the archive writes each folded syllable and syllable pair.
// It is saved when the index closes; the article count saved with it tells
// a later Open whether it still matches the index (after a crash it may
// not), and if not it is rebuilt from the stored articles.
const (
	modelFile     = "diacritics.gz"
	modelMetaFile = "diacritics.json"
)

type modelMeta struct {
	Articles uint64 `json:"articles"`
}

// diacritics holds an index's model and whether it changed since saved.
type diacritics struct {
	model *restore.Model
	dirty atomic.Bool
}

// loadModel reads the saved model, or rebuilds it when it is missing or
// does not match the index.
func (ix *Index) loadModel(ctx context.Context) error {
	ix.dia.model = restore.NewModel()
	if ix.path == "" {
		return nil
	}
	n, err := ix.bleve.DocCount()
	if err != nil {
		return err
	}
	meta, err := readModelMeta(ix.path)
	if err == nil && meta.Articles == n {
		if err := readModel(ix.path, ix.dia.model); err == nil {
			return nil
		}
	}
	if n == 0 {
		return nil
	}
	if err := ix.rebuildModel(ctx); err != nil {
		return fmt.Errorf("rebuild the diacritics model: %w", err)
	}
	ix.dia.dirty.Store(true)
	return nil
}

func readModelMeta(dir string) (modelMeta, error) {
	var m modelMeta
	b, err := os.ReadFile(filepath.Join(dir, modelMetaFile))
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

func readModel(dir string, m *restore.Model) error {
	f, err := os.Open(filepath.Join(dir, modelFile))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = m.ReadFrom(bufio.NewReader(f))
	return err
}

// saveModel writes the model and its article count into dir, each through
// a temporary file renamed into place.
func (ix *Index) saveModel(dir string) error {
	n, err := ix.bleve.DocCount()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, modelFile), func(f *os.File) error {
		w := bufio.NewWriter(f)
		if _, err := ix.dia.model.WriteTo(w); err != nil {
			return err
		}
		return w.Flush()
	}); err != nil {
		return fmt.Errorf("save the diacritics model: %w", err)
	}
	meta, _ := json.Marshal(modelMeta{Articles: n})
	if err := writeFileAtomic(filepath.Join(dir, modelMetaFile), func(f *os.File) error {
		_, err := f.Write(meta)
		return err
	}); err != nil {
		return fmt.Errorf("save the diacritics model: %w", err)
	}
	return nil
}

func writeFileAtomic(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// saveModelIfChanged saves the model when writes changed it.
func (ix *Index) saveModelIfChanged() error {
	if ix.path == "" || !ix.dia.dirty.Load() {
		return nil
	}
	if err := ix.saveModel(ix.path); err != nil {
		return err
	}
	ix.dia.dirty.Store(false)
	return nil
}

// learn adds (delta +1) or removes (-1) an article's prose to the model.
func (ix *Index) learn(a *article.Article, delta int) {
	for _, text := range proseOf(a) {
		if delta > 0 {
			ix.dia.model.Add(text)
		} else {
			ix.dia.model.Remove(text)
		}
	}
	ix.dia.dirty.Store(true)
}

// learnAnalyzed adds the prose of a document the writer built to the model
// from the forms its analysis made (textAnalysis.spelled): what learn(a, +1)
// does, without splitting and normalizing the text a second time.
func (ix *Index) learnAnalyzed(d *bdoc.Document) {
	for _, f := range d.Fields {
		if t, ok := f.(*analyzedField); ok && t.kind == termsFolded {
			t.Analyze()
			ix.dia.model.AddSpelled(t.text.spelled)
		}
	}
	ix.dia.dirty.Store(true)
}

func proseOf(a *article.Article) []string {
	return append([]string{a.Title, a.Summary, a.Body}, a.Captions...)
}

// rebuildModel learns every stored article again, a page at a time.
func (ix *Index) rebuildModel(ctx context.Context) error {
	const page = 500
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, 0, false)
		req.Fields = []string{FieldTitle, FieldSummary, FieldBody, FieldCaptions}
		req.SortByCustom(search.SortOrder{&search.SortDocID{}})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			for _, f := range []string{FieldTitle, FieldSummary, FieldBody, FieldCaptions} {
				for _, text := range storedStrings(h.Fields[f]) {
					ix.dia.model.Add(text)
				}
			}
		}
		if len(res.Hits) < page {
			ix.dia.model.Flush()
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// storedStrings reads a stored field that may hold one value or several.
func storedStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
