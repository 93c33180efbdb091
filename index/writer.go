package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"kho/internal/article"
)

// DefaultBatchSize is how many articles a Writer sends to bleve at once.
const DefaultBatchSize = 1000

// WriterOptions configure a Writer.
type WriterOptions struct {
	BatchSize int                                 // articles per bleve batch; DefaultBatchSize when 0
	OnResult  func(key string, o article.Outcome) // called once per added article, after its batch is written
}

// Writer upserts articles in batches, keyed by article.ID. An article whose
// content hash equals the stored one is not written again, so re-ingesting
// an archive costs one lookup per batch instead of a re-index.
type Writer struct {
	ix      *Index
	opts    WriterOptions
	pending []*article.Article
	keys    map[string]bool
}

// NewWriter starts a writer. It is not safe for concurrent use.
func (ix *Index) NewWriter(opts WriterOptions) *Writer {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	return &Writer{ix: ix, opts: opts, keys: make(map[string]bool, opts.BatchSize)}
}

// Add queues a valid article and writes the queue when it is full.
func (w *Writer) Add(ctx context.Context, a *article.Article) error {
	if a.ID == "" {
		return fmt.Errorf("add article: %w", article.ErrNoKey)
	}
	if w.keys[a.ID] {
		// The same key twice in one batch: write the first, so the second
		// is compared with it and the later record wins.
		if err := w.Flush(ctx); err != nil {
			return err
		}
	}
	w.pending = append(w.pending, a)
	w.keys[a.ID] = true
	if len(w.pending) >= w.opts.BatchSize {
		return w.Flush(ctx)
	}
	return nil
}

// Flush writes the queued articles: new keys are added, changed ones
// replaced, unchanged ones skipped.
func (w *Writer) Flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	stored, err := w.storedHashes(ctx)
	if err != nil {
		return err
	}
	batch := w.ix.bleve.NewBatch()
	outcomes := make([]article.Outcome, len(w.pending))
	for i, a := range w.pending {
		doc := document(a, w.ix.loc)
		old, exists := stored[a.ID]
		switch {
		case !exists:
			outcomes[i] = article.Added
		case old == doc[FieldHash]:
			outcomes[i] = article.Unchanged
			continue
		default:
			outcomes[i] = article.Updated
		}
		if err := batch.Index(a.ID, doc); err != nil {
			return fmt.Errorf("index article %q: %w", a.ID, err)
		}
	}
	if batch.Size() > 0 {
		if err := w.learnChanges(ctx, outcomes); err != nil {
			return err
		}
		if err := w.ix.bleve.Batch(batch); err != nil {
			return fmt.Errorf("write batch of %d articles: %w", batch.Size(), err)
		}
	}
	if w.opts.OnResult != nil {
		for i, a := range w.pending {
			w.opts.OnResult(a.ID, outcomes[i])
		}
	}
	w.pending = w.pending[:0]
	clear(w.keys)
	return nil
}

// storedHashes looks up the content hashes of the pending keys that are
// already in the index, in one search.
func (w *Writer) storedHashes(ctx context.Context) (map[string]string, error) {
	ids := make([]string, len(w.pending))
	for i, a := range w.pending {
		ids[i] = a.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{FieldHash}
	res, err := w.ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up %d stored articles: %w", len(ids), err)
	}
	hashes := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		s, _ := h.Fields[FieldHash].(string)
		hashes[h.ID] = s
	}
	return hashes, nil
}

// learnChanges keeps the diacritics model in step with the batch about to be
// written: new articles are learned; updated ones forget their stored text
// first.
func (w *Writer) learnChanges(ctx context.Context, outcomes []article.Outcome) error {
	for i, a := range w.pending {
		switch outcomes[i] {
		case article.Updated:
			old, err := w.ix.Article(ctx, a.ID)
			if err != nil {
				return fmt.Errorf("read article %q before updating it: %w", a.ID, err)
			}
			w.ix.learn(old, -1)
			w.ix.learn(a, +1)
		case article.Added:
			w.ix.learn(a, +1)
		}
	}
	w.ix.dia.model.Flush()
	return nil
}
