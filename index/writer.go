package index

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"

	"kho/internal/article"
)

// DefaultBatchSize is how many articles a Writer sends to bleve at once.
const DefaultBatchSize = 1000

// maxUnpersisted is how many batches a bulk load may have written but bleve
// not yet persisted. Without a bound, a persister slower than the writers
// lets segments pile up in memory: 2.9 GB of RSS on 100,000 articles.
const maxUnpersisted = 3

// maxBuilding is how many batches a Writer has bleve build at once. bleve
// analyzes a batch on every core but builds its segment on one; with two
// batches, one is built while the other is analyzed or built beside it, and
// the writer learns the next batch's diacritics meanwhile (BENCHMARKS.md
// "Ingest").
const maxBuilding = 2

// WriterOptions configure a Writer.
type WriterOptions struct {
	BatchSize int                                 // articles per bleve batch; DefaultBatchSize when 0
	OnResult  func(key string, o article.Outcome) // called once per added article, after its batch is written, in the order of Add, from Add or Flush
}

// Writer upserts articles in batches, keyed by article.ID. An article whose
// content hash equals the stored one is not written again, so re-ingesting
// an archive costs one lookup per batch instead of a re-index. Up to
// maxBuilding batches are written at once, in goroutines of their own; a
// batch holding a key of one not yet reported waits for it, so the later
// record of a key is compared with the earlier one and wins.
type Writer struct {
	ix      *Index
	opts    WriterOptions
	pending []*article.Article
	keys    map[string]bool
	sent    []*sentBatch    // in order of Add, not yet reported
	sentKey map[string]bool // keys of the batches in sent

	building chan struct{} // one per batch bleve is building
	mu       sync.Mutex

	// loaded is set in a bulk load into an empty index: a hash of each key
	// this writer has looked up. Nothing else writes to an index opened for
	// a bulk load, so a key whose hash is not here is not in the index,
	// and only the others are looked up: a million articles' lookups took
	// 16 s of CPU on the path that feeds bleve, to find nothing.
	loaded map[uint64]struct{}
	seed   maphash.Seed

	// In bulk mode bleve persists batches after Batch returns.
	onDisk sync.WaitGroup // batches written and not yet persisted
	memory chan struct{}  // one per such batch: bounds what bleve holds in memory
	err    error          // the first failure to persist, under mu
}

// sentBatch is a batch handed to bleve and what happened to each article.
type sentBatch struct {
	arts     []*article.Article
	outcomes []article.Outcome
	learn    []*bdoc.Document // of the new and changed articles, for the diacritics model
	done     chan struct{}    // closed when bleve has written it
	err      error            // set before done is closed
}

// NewWriter starts a writer. It is not safe for concurrent use.
func (ix *Index) NewWriter(opts WriterOptions) *Writer {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	w := &Writer{ix: ix, opts: opts, keys: make(map[string]bool, opts.BatchSize),
		building: make(chan struct{}, maxBuilding), sentKey: map[string]bool{},
		memory: make(chan struct{}, maxUnpersisted)}
	if ix.bulk {
		if n, err := ix.bleve.DocCount(); err == nil && n == 0 {
			w.loaded, w.seed = map[uint64]struct{}{}, maphash.MakeSeed()
		}
	}
	return w
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
// replaced, unchanged ones skipped), waits until every batch is written and
// its results reported and, in bulk mode, until every batch is on disk.
func (w *Writer) Flush(ctx context.Context) error {
	if err := w.writePending(ctx); err != nil {
		return err
	}
	if err := w.report(true); err != nil {
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

// writePending sends the queued articles to bleve as one batch and reports
// the batches written so far.
func (w *Writer) writePending(ctx context.Context) error {
	if err := w.report(false); err != nil {
		return err
	}
	if len(w.pending) == 0 {
		return nil
	}
	arts := w.pending
	w.pending = make([]*article.Article, 0, w.opts.BatchSize)
	clear(w.keys)
	for _, a := range arts {
		if w.sentKey[a.ID] {
			if err := w.report(true); err != nil {
				return err
			}
			break
		}
	}
	return w.send(ctx, arts)
}

// report hands the outcomes of written batches to OnResult, in order, up to
// the first batch still being written, or, with all, of every batch sent.
// It returns the first batch's error.
func (w *Writer) report(all bool) error {
	for len(w.sent) > 0 {
		b := w.sent[0]
		if all {
			<-b.done
		} else {
			select {
			case <-b.done:
			default:
				return nil
			}
		}
		if b.err != nil {
			return b.err
		}
		w.sent = w.sent[1:]
		for i, a := range b.arts {
			delete(w.sentKey, a.ID)
			if w.opts.OnResult != nil {
				w.opts.OnResult(a.ID, b.outcomes[i])
			}
		}
	}
	return nil
}

// send compares the articles with the stored ones and has bleve write the
// new and changed ones, in a goroutine of its own, once fewer than
// maxBuilding batches are being written.
func (w *Writer) send(ctx context.Context, arts []*article.Article) error {
	stored, err := w.storedHashes(ctx, arts)
	if err != nil {
		return err
	}
	sb := &sentBatch{arts: arts, outcomes: make([]article.Outcome, len(arts)), done: make(chan struct{})}
	batch := w.ix.bleve.NewBatch()
	for i, a := range arts {
		hash := ContentHash(a)
		old, exists := stored[a.ID]
		switch {
		case !exists:
			sb.outcomes[i] = article.Added
		case old == hash:
			sb.outcomes[i] = article.Unchanged
			continue
		default:
			sb.outcomes[i] = article.Updated
		}
		d := bleveDocument(a, w.ix.loc, hash, w.ix.dia.model)
		if err := batch.IndexAdvanced(d); err != nil {
			return fmt.Errorf("index article %q: %w", a.ID, err)
		}
		sb.learn = append(sb.learn, d)
	}
	if batch.Size() == 0 {
		close(sb.done)
		w.queue(sb)
		return nil
	}
	if err := w.forgetChanged(ctx, arts, sb.outcomes); err != nil {
		return err
	}
	w.queue(sb)
	w.building <- struct{}{}
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
	go w.write(sb, batch)
	return nil
}

// queue puts a sent batch in line to be reported.
func (w *Writer) queue(sb *sentBatch) {
	w.sent = append(w.sent, sb)
	for _, a := range sb.arts {
		w.sentKey[a.ID] = true
	}
}

// write has bleve write one batch, then teaches the diacritics model the
// new text from the forms the batch's analysis made, while bleve builds the
// next batch.
func (w *Writer) write(sb *sentBatch, batch *bleve.Batch) {
	err := w.ix.bleve.Batch(batch)
	<-w.building
	if err != nil {
		if w.ix.bulk { // never introduced, so never persisted
			<-w.memory
			w.onDisk.Done()
		}
		sb.err = fmt.Errorf("write batch of %d articles: %w", batch.Size(), err)
	} else {
		for _, d := range sb.learn {
			w.ix.learnAnalyzed(d)
		}
		w.ix.dia.model.Flush()
	}
	sb.learn = nil
	close(sb.done)
}

// storedHashes looks up the content hashes of the articles that are already
// in the index, in one search.
func (w *Writer) storedHashes(ctx context.Context, arts []*article.Article) (map[string]string, error) {
	ids := make([]string, 0, len(arts))
	for _, a := range arts {
		if w.loaded != nil {
			h := maphash.String(w.seed, a.ID)
			if _, ok := w.loaded[h]; !ok {
				w.loaded[h] = struct{}{}
				continue // new to the index
			}
		}
		ids = append(ids, a.ID)
	}
	if len(ids) == 0 {
		return map[string]string{}, nil
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

// forgetChanged has the diacritics model forget the stored text of the
// articles the batch about to be written replaces; write learns the new
// text once bleve has analyzed it.
func (w *Writer) forgetChanged(ctx context.Context, arts []*article.Article, outcomes []article.Outcome) error {
	for i, a := range arts {
		if outcomes[i] != article.Updated {
			continue
		}
		old, err := w.ix.Article(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("read article %q before updating it: %w", a.ID, err)
		}
		w.ix.learn(old, -1)
	}
	return nil
}
