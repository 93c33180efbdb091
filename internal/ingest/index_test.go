package ingest_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"kho/index"
	"kho/internal/article"
	"kho/internal/ingest"
)

// cancelAfter cancels a run's context once n articles reached the sink, as
// Ctrl-C would in the middle of an ingest.
type cancelAfter struct {
	*index.Writer
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Add(ctx context.Context, a *article.Article) error {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.Writer.Add(ctx, a)
}

func run(t *testing.T, ctx context.Context, ix *index.Index, wrap func(*index.Writer) ingest.Sink) *ingest.Summary {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	in := ingest.New(ingest.Options{Location: loc})
	w := ix.NewWriter(index.WriterOptions{BatchSize: 7, OnResult: in.Outcome})
	var sink ingest.Sink = w
	if wrap != nil {
		sink = wrap(w)
	}
	sum, err := in.Run(ctx, []string{"../../testdata/archive"}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// An interrupted ingest keeps what it flushed; running it again ends with
// the same index as a run that was never interrupted.
func TestInterruptedIngestResumes(t *testing.T) {
	whole, err := index.NewMem(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	full := run(t, context.Background(), whole, nil)

	ix, err := index.NewMem(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cut := run(t, ctx, ix, func(w *index.Writer) ingest.Sink { return &cancelAfter{Writer: w, n: 30, cancel: cancel} })
	if !cut.Interrupted || cut.Read >= full.Read || cut.Added+cut.Updated != 30 {
		t.Fatalf("interrupted run: %+v; want 30 articles written (the batch in hand flushed) and an interruption", cut)
	}
	if n, _ := ix.Count(); n != uint64(cut.Added) {
		t.Errorf("after the interruption the index has %d articles, want the %d added", n, cut.Added)
	}
	rest := run(t, context.Background(), ix, nil)
	if rest.Interrupted || rest.Added+cut.Added != full.Added || !reflect.DeepEqual(rest.Skipped, full.Skipped) || rest.Read != full.Read {
		t.Errorf("resumed run %+v\nfull run    %+v", rest, full)
	}
	got, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := whole.Stats(context.Background())
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stats after resuming %+v, uninterrupted %+v", got, want)
	}
}
