package index

import (
	"context"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"kho/internal/article"
)

// DefaultBatchSize is how many articles a Writer sends to bleve at once.
const DefaultBatchSize = 1000

// maxUnpersisted is how many batches a bulk load may have written but bleve
// not yet persisted. Without a bound, a persister slower than the writers
// lets segments pile up in memory: 2.9 GB of RSS on 100,000 articles.
const maxUnpersisted = 3

// WriterOptions configure a Writer.
type WriterOptions struct {
	BatchSize int                                 // articles per bleve batch; DefaultBatchSize when 0
	OnResult  func(key string, o article.Outcome) // called once per added article, after its batch is written, in the order of Add
}

// Writer upserts articles in batches, keyed by article.ID. An article whose
// content hash equals the stored one is not written again, so re-ingesting
// an archive costs one lookup per batch instead of a re-index. Batches are
// written one at a time: bleve already analyzes a batch on every core and,
// in bulk mode, persists and merges in the background; a second batch in
// flight measured more CPU per article and twice the memory (BENCHMARKS.md
// "Ingest").
type Writer struct {
	ix      *Index
	opts    WriterOptions
	pending []*article.Article
	keys    map[string]bool

	// In bulk mode bleve persists batches after Batch returns.
	onDisk sync.WaitGroup // batches written and not yet persisted
	memory chan struct{}  // one per such batch: bounds what bleve holds in memory
	mu     sync.Mutex
	err    error // the first failure to persist
}

// NewWriter starts a writer. It is not safe for concurrent use.
func (ix *Index) NewWriter(opts WriterOptions) *Writer {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	return &Writer{ix: ix, opts: opts, keys: make(map[string]bool, opts.BatchSize),
		memory: make(chan struct{}, maxUnpersisted)}
}

// Add queues a valid article and writes the queue when it is full.
func (w *Writer) Add(ctx context.Context, a *article.Article) error {
	if a.ID == "" {
		return fmt.Errorf("add article: %w", article.ErrNoKey)
	}
	if err := w.failed(); err != nil {
		return err
	}
	if w.keys[a.ID] {
		// The same key twice in one batch: write the first, so the second
		// is compared with it and the later record wins.
		if err := w.writePending(ctx); err != nil {
			return err
		}
	}
	w.pending = append(w.pending, a)
	w.keys[a.ID] = true
	if len(w.pending) >= w.opts.BatchSize {
		return w.writePending(ctx)
	}
	return nil
}

// Flush writes the queued articles (new keys are added, changed ones
// replaced, unchanged ones skipped) and, in bulk mode, waits until every
// batch written so far is on disk.
func (w *Writer) Flush(ctx context.Context) error {
	if err := w.writePending(ctx); err != nil {
		return err
	}
	w.onDisk.Wait()
	return w.failed()
}

func (w *Writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *Writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// writePending writes the queued articles as one batch and reports what
// happened to each.
func (w *Writer) writePending(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	outcomes, err := w.writeBatch(ctx, w.pending)
	if err != nil {
		return err
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

// writeBatch compares the articles with the stored ones and writes the new
// and changed ones in one bleve batch.
func (w *Writer) writeBatch(ctx context.Context, arts []*article.Article) ([]article.Outcome, error) {
	stored, err := w.storedHashes(ctx, arts)
	if err != nil {
		return nil, err
	}
	batch := w.ix.bleve.NewBatch()
	outcomes := make([]article.Outcome, len(arts))
	for i, a := range arts {
		hash := ContentHash(a)
		old, exists := stored[a.ID]
		switch {
		case !exists:
			outcomes[i] = article.Added
		case old == hash:
			outcomes[i] = article.Unchanged
			continue
		default:
			outcomes[i] = article.Updated
		}
		if err := batch.IndexAdvanced(bleveDocument(a, w.ix.loc, hash)); err != nil {
			return nil, fmt.Errorf("index article %q: %w", a.ID, err)
		}
	}
	if batch.Size() > 0 {
		if err := w.learnChanges(ctx, arts, outcomes); err != nil {
			return nil, err
		}
		if w.ix.bulk {
			w.memory <- struct{}{}
			w.onDisk.Add(1)
			batch.SetPersistedCallback(func(err error) {
				if err != nil {
					w.fail(fmt.Errorf("persist batch: %w", err))
				}
				<-w.memory
				w.onDisk.Done()
			})
		}
		if err := w.ix.bleve.Batch(batch); err != nil {
			if w.ix.bulk { // never introduced, so never persisted
				<-w.memory
				w.onDisk.Done()
			}
			return nil, fmt.Errorf("write batch of %d articles: %w", batch.Size(), err)
		}
	}
	return outcomes, nil
}

// storedHashes looks up the content hashes of the articles that are already
// in the index, in one search.
func (w *Writer) storedHashes(ctx context.Context, arts []*article.Article) (map[string]string, error) {
	ids := make([]string, len(arts))
	for i, a := range arts {
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
func (w *Writer) learnChanges(ctx context.Context, arts []*article.Article, outcomes []article.Outcome) error {
	for i, a := range arts {
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
