package index

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Document frequencies of syllables, read from the index and cached: a
// related-stories request weighs a few thousand units, and each costs a
// dictionary lookup in every segment.

// dfFields are where a syllable's document frequency is counted: in the
// text (summary, body and captions), else in the title. The exact fields tell vận
// from văn and vấn, which the folded van lumps together; a text typed without
// diacritics, and a syllable without marks (unit.exact), is counted in the
// folded fields.
var (
	exactDFFields  = []string{FieldText + ExactSuffix, FieldTitle + ExactSuffix}
	foldedDFFields = []string{FieldText, FieldTitle}
)

// dfCache remembers document frequencies for one index root (set of
// segments) and number of articles: any write makes a new root (see
// epoch), and the next request looks them up again.
type dfCache struct {
	mu    sync.Mutex
	n     uint64
	epoch uint64
	df    map[string]uint64 // "e" or "f" (exact, folded) + the syllable
}

// maxCachedDF bounds the cache (about 60 bytes an entry).
const maxCachedDF = 1 << 20

// docFreq looks up document frequencies for one request.
type docFreq struct {
	ix    *Index
	n     uint64                 // articles in the index
	epoch uint64                 // of the index root when the request began
	r     bleveindex.IndexReader // opened on the first cache miss
}

func (ix *Index) docFreqs() (*docFreq, error) {
	n, err := ix.bleve.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count articles: %w", err)
	}
	epoch, _ := ix.epoch() // an index that does not say is cached by count alone
	c := &ix.dfs
	c.mu.Lock()
	if c.n != n || c.epoch != epoch || c.df == nil || len(c.df) > maxCachedDF {
		c.n, c.epoch, c.df = n, epoch, map[string]uint64{}
	}
	c.mu.Unlock()
	return &docFreq{ix: ix, n: n, epoch: epoch}, nil
}

func (d *docFreq) Close() error {
	if d.r == nil {
		return nil
	}
	return d.r.Close()
}

// of is the number of articles with the syllable in the first of dfFields
// that has it, spelled exactly (a syllable with marks: unit.exact) or
// folded.
func (d *docFreq) of(ctx context.Context, syllable string, exact bool) (uint64, error) {
	key, fields := "f"+syllable, foldedDFFields
	if exact {
		key, fields = "e"+syllable, exactDFFields
	}
	c := &d.ix.dfs
	c.mu.Lock()
	df, ok := c.df[key]
	c.mu.Unlock()
	if ok {
		return df, nil
	}
	for _, f := range fields {
		n, err := d.field(ctx, syllable, f)
		if err != nil {
			return 0, fmt.Errorf("document frequency of %q: %w", syllable, err)
		}
		if df = n; df > 0 {
			break
		}
	}
	c.mu.Lock()
	if c.n == d.n && c.epoch == d.epoch {
		c.df[key] = df
	}
	c.mu.Unlock()
	return df, nil
}

func (d *docFreq) field(ctx context.Context, term, field string) (uint64, error) {
	if d.r == nil {
		adv, err := d.ix.bleve.Advanced()
		if err != nil {
			return 0, err
		}
		if d.r, err = adv.Reader(); err != nil {
			return 0, err
		}
	}
	tfr, err := d.r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// epoch identifies the index's current root (its set of segments): any
// write, merge or flush makes a new one. ok is false when the index does not
// say.
func (ix *Index) epoch() (uint64, bool) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return 0, false
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, false
	}
	st, ok := s.Stats().(*scorch.Stats)
	if !ok {
		return 0, false
	}
	return atomic.LoadUint64(&st.CurRootEpoch), true
}
