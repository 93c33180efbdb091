package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// maxFacetTerms bounds the sources and years Stats lists; far above any real
// archive's count, so the lists are complete.
const maxFacetTerms = 1 << 20

// Stats counts the articles in total, per source and per year (in the
// archive zone), the articles without a date, and the index's size on disk.
func (ix *Index) Stats(ctx context.Context) (*Stats, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet(FieldSource, bleve.NewFacetRequest(FieldSource, maxFacetTerms))
	req.AddFacet(FieldYear, bleve.NewFacetRequest(FieldYear, maxFacetTerms))
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("count articles: %w", err)
	}
	s := &Stats{
		Articles:      res.Total,
		Sources:       map[string]uint64{},
		Years:         map[string]uint64{},
		SchemaVersion: SchemaVersion,
	}
	if f := res.Facets[FieldSource]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			s.Sources[t.Term] = uint64(t.Count)
		}
	}
	if f := res.Facets[FieldYear]; f != nil {
		if f.Terms != nil {
			for _, t := range f.Terms.Terms() {
				s.Years[t.Term] = uint64(t.Count)
			}
		}
		s.DateUnknown = uint64(f.Missing) // a dated article has exactly one year
	}
	if ix.path != "" {
		if s.SizeBytes, err = dirSize(ix.path); err != nil {
			return nil, fmt.Errorf("index size: %w", err)
		}
	}
	return s, nil
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a segment merged away while we walked
		}
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}
