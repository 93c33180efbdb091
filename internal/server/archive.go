package server

import (
	"context"
	"errors"
	"io"
	"sync"

	"kho/index"
	"kho/internal/article"
	"kho/internal/httpapi"
	"kho/internal/ingest"
)

// archive is the write side of the API: POST /api/articles stores records
// as kho ingest does, DELETE removes one article.
type archive struct {
	ix      *index.Index
	metrics *metrics
	// One write at a time: index.Writer is not safe for concurrent use, and
	// two requests storing the same key must see each other's result.
	mu sync.Mutex
}

func newArchive(ix *index.Index, m *metrics) *archive {
	return &archive{ix: ix, metrics: m}
}

var _ httpapi.Archive = (*archive)(nil)

// Put stores the records of body. Every batch is written whole even if the
// client goes away meanwhile, and the records stored before a read error
// stay stored: storing is an upsert by key, so sending the body again is
// safe. When Put returns, searches see the new articles.
func (a *archive) Put(ctx context.Context, body io.Reader, source string) (*httpapi.PutResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	res := &httpapi.PutResult{}
	var stored []int // indexes in res.Records of records given to the writer, in order
	next := 0
	w := a.ix.NewWriter(index.WriterOptions{OnResult: func(_ string, o article.Outcome) {
		res.Records[stored[next]].Result = resultOf(o)
		next++
	}})
	wctx := context.WithoutCancel(ctx)
	var writeErr error
	err := ingest.DecodeBody(body, ingest.Options{Location: a.ix.Location(), Source: source}, func(r ingest.BodyRecord) bool {
		rr := httpapi.RecordResult{Line: r.Line, ID: r.Key}
		if r.Skip != nil {
			rr.Result, rr.Reason = httpapi.ResultSkipped, r.Skip.Error()
			res.Records = append(res.Records, rr)
			return true
		}
		stored = append(stored, len(res.Records))
		res.Records = append(res.Records, rr)
		writeErr = w.Add(wctx, r.Article)
		return writeErr == nil && ctx.Err() == nil
	})
	if writeErr == nil {
		writeErr = w.Flush(wctx)
	}
	res = tally(res)
	a.count(res)
	switch {
	case writeErr != nil:
		return nil, writeErr
	case errors.Is(err, ingest.ErrNotJSON):
		return nil, httpapi.BadBody(err.Error())
	case err != nil:
		return nil, err
	}
	return res, ctx.Err()
}

// tally counts the results once every batch has reported.
func tally(in *httpapi.PutResult) *httpapi.PutResult {
	out := &httpapi.PutResult{}
	for _, r := range in.Records {
		if r.Result == "" { // never reached the index: the request ended first
			continue
		}
		out.Count(r)
	}
	return out
}

func (a *archive) count(res *httpapi.PutResult) {
	for result, n := range map[string]int{
		httpapi.ResultAdded: res.Added, httpapi.ResultUpdated: res.Updated,
		httpapi.ResultUnchanged: res.Unchanged, httpapi.ResultSkipped: res.Skipped,
	} {
		a.metrics.records.WithLabelValues(result).Add(float64(n))
	}
}

func resultOf(o article.Outcome) string {
	switch o {
	case article.Added:
		return httpapi.ResultAdded
	case article.Updated:
		return httpapi.ResultUpdated
	}
	return httpapi.ResultUnchanged
}

func (a *archive) Delete(ctx context.Context, id string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.ix.Delete(ctx, id); err != nil {
		return err
	}
	a.metrics.deletes.Inc()
	return nil
}
