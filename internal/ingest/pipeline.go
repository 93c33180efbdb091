package ingest

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"sync/atomic"
	"time"

	"kho/internal/article"
	"kho/internal/legacy"
)

// Sink stores articles; index.Writer is one. Add may queue; Flush writes
// what is queued. Outcomes come back through the callback the sink was
// built with (Ingester.Outcome).
type Sink interface {
	Add(ctx context.Context, a *article.Article) error
	Flush(ctx context.Context) error
}

// Options configure an ingest run.
type Options struct {
	Format   Format
	Source   string         // the source of records that name none (--source)
	Location *time.Location // the archive's zone for dates without one (--tz)
	Report   io.Writer      // receives one JSON line per skipped, repaired or odd record; may be nil
	Stdin    io.Reader      // read for the path "-"
	Now      func() time.Time
	Encoding legacy.Encoding // --encoding: Auto detects TCVN3, VNI and VISCII per file and field
}

// readAhead is how many records the reading goroutine may get ahead of the
// sink: about a batch, so the next batch is decoded while one is written.
const readAhead = 1024

// Ingester runs one ingest: it reads the inputs, converts each record and
// hands it to a Sink, counting everything.
type Ingester struct {
	opts    Options
	conv    converter
	report  *reportWriter
	counts  counters
	seed    maphash.Seed
	seen    map[uint64]location // keys of this run, for duplicate reports
	files   []string
	started time.Time
}

type location struct {
	file int32
	line int32
}

type counters struct {
	files, read, added, updated, unchanged, skipped atomic.Int64
	bytesRead, bytesTotal                           atomic.Int64
}

// New prepares a run.
func New(opts Options) *Ingester {
	if opts.Format == "" {
		opts.Format = FormatAuto
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	return &Ingester{
		opts:   opts,
		conv:   converter{loc: opts.Location, now: opts.Now(), source: opts.Source, encoding: opts.Encoding},
		report: newReportWriter(opts.Report),
		seed:   maphash.MakeSeed(),
		seen:   map[uint64]location{},
	}
}

// Outcome records what the sink did with an article; pass it to the sink
// as its result callback.
func (in *Ingester) Outcome(_ string, o article.Outcome) {
	switch o {
	case article.Added:
		in.counts.added.Add(1)
	case article.Updated:
		in.counts.updated.Add(1)
	case article.Unchanged:
		in.counts.unchanged.Add(1)
	}
}

// Progress is a snapshot of a running ingest, safe to take from another
// goroutine.
type Progress struct {
	Files, Read, Written, Skipped int64
	BytesRead, BytesTotal         int64 // BytesTotal is -1 when stdin is read
	Elapsed                       time.Duration
}

func (in *Ingester) Progress() Progress {
	c := &in.counts
	return Progress{
		Files: c.files.Load(), Read: c.read.Load(), Skipped: c.skipped.Load(),
		Written:   c.added.Load() + c.updated.Load() + c.unchanged.Load(),
		BytesRead: c.bytesRead.Load(), BytesTotal: c.bytesTotal.Load(),
		Elapsed: time.Since(in.started),
	}
}

// item is what the reading goroutine hands to the writing one.
type item struct {
	file    string
	line    int
	conv    conversion
	fileErr error // a problem with a whole file (or the rest of it)
	opened  bool  // a file was opened
}

// Run ingests paths (files, directories, or "-") into sink. It stops early
// when ctx is cancelled, after flushing what it has. The error is non-nil
// only when the sink failed (the index could not be written) or the report
// could not be written; bad input is counted and reported, never an error.
func (in *Ingester) Run(ctx context.Context, paths []string, sink Sink) (*Summary, error) {
	in.started = time.Now()
	inputs, problems := expand(paths, in.opts.Format)
	total := int64(0)
	for _, f := range inputs {
		if f.size < 0 {
			total = -1
			break
		}
		total += f.size
	}
	in.counts.bytesTotal.Store(total)
	for _, p := range problems {
		in.fileProblem(p.path, p.line, p.err)
	}

	readCtx, stopReading := context.WithCancel(ctx)
	items := make(chan item, readAhead)
	go func() {
		defer close(items)
		for _, f := range inputs {
			if readCtx.Err() != nil {
				return
			}
			in.readInput(readCtx, f, items)
		}
	}()

	// Batches are always written whole: a cancellation is noticed between
	// records, never inside a write.
	writeCtx := context.WithoutCancel(ctx)
	var sinkErr error
	for it := range items {
		if ctx.Err() != nil {
			break
		}
		if sinkErr = in.handle(writeCtx, it, sink); sinkErr != nil {
			break
		}
	}
	stopReading()
	for range items { // let the reader finish
	}
	if err := sink.Flush(writeCtx); err != nil && sinkErr == nil {
		sinkErr = err
	}
	sum := in.summary(ctx.Err() != nil)
	if sinkErr != nil {
		return sum, fmt.Errorf("write index: %w", sinkErr)
	}
	if err := in.report.err; err != nil {
		return sum, fmt.Errorf("write report: %w", err)
	}
	return sum, nil
}

func (in *Ingester) handle(ctx context.Context, it item, sink Sink) error {
	switch {
	case it.opened:
		in.counts.files.Add(1)
		return nil
	case it.fileErr != nil:
		in.fileProblem(it.file, it.line, it.fileErr)
		return nil
	}
	in.counts.read.Add(1)
	c := it.conv
	if c.repaired {
		in.report.add(it.file, it.line, c.key, outcomeRepaired, "invalid UTF-8 replaced with U+FFFD")
	}
	for _, n := range c.legacy {
		in.report.add(it.file, it.line, c.key, n.outcome, n.reason)
	}
	for _, w := range c.warnings {
		in.report.add(it.file, it.line, c.key, outcomeWarning, w)
	}
	if c.skip != nil {
		in.counts.skipped.Add(1)
		in.report.skip(it.file, it.line, c.key, c.skip)
		return nil
	}
	in.noteDuplicate(it, c.key)
	return sink.Add(ctx, c.a)
}

// noteDuplicate reports a key this run has already stored: the later
// record wins.
func (in *Ingester) noteDuplicate(it item, key string) {
	h := maphash.String(in.seed, key)
	if prev, ok := in.seen[h]; ok {
		in.report.add(it.file, it.line, key, outcomeWarning,
			fmt.Sprintf("duplicate key: replaces the record at %s:%d", in.files[prev.file], prev.line))
	}
	if len(in.files) == 0 || in.files[len(in.files)-1] != it.file {
		in.files = append(in.files, it.file)
	}
	in.seen[h] = location{file: int32(len(in.files) - 1), line: int32(it.line)}
}

func (in *Ingester) fileProblem(file string, line int, err error) {
	if errors.Is(err, errIgnored) {
		in.report.add(file, line, "", outcomeIgnored, err.Error())
		return
	}
	in.report.skip(file, line, "", err)
}

// readInput decodes one input and sends its records, converted.
func (in *Ingester) readInput(ctx context.Context, f input, items chan<- item) {
	send := func(it item) bool {
		select {
		case items <- it:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var raw io.Reader = in.opts.Stdin
	if f.path != Stdin {
		file, err := os.Open(f.path)
		if err != nil {
			send(item{file: f.path, fileErr: fmt.Errorf("%w: %v", errUnreadable, err)})
			return
		}
		defer file.Close()
		raw = file
	}
	if !send(item{file: f.path, opened: true}) {
		return
	}
	br, closer, err := uncompressed(countingReader{raw, &in.counts.bytesRead})
	if err != nil {
		send(item{file: f.path, line: 1, fileErr: err})
		return
	}
	defer closer.Close()
	format := in.opts.Format
	if format == FormatAuto {
		if format = formatOfName(f.path); format == "" || f.path == Stdin {
			format = sniff(br)
		}
	}
	guess, pageID := sourceGuess(f.path, format), ""
	if f.path != Stdin && (format == FormatText || format == FormatHTML) {
		pageID = baseName(f.path)
	}
	err = decoderFor(format)(br, f.path, func(rec Record, bad error) bool {
		if ctx.Err() != nil {
			return false
		}
		if bad != nil {
			return send(item{file: rec.File, line: rec.Line, conv: conversion{skip: bad}})
		}
		rec.sourceGuess, rec.defaultID = guess, pageID
		return send(item{file: rec.File, line: rec.Line, conv: in.conv.convert(rec)})
	})
	if err != nil {
		line := 0
		var le *LineError
		if errors.As(err, &le) {
			line, err = le.Line, le.Err
		}
		if !errors.Is(err, ErrInvalidJSON) && !errors.Is(err, errTruncated) {
			err = fmt.Errorf("%w: %v", errTruncated, err)
		}
		send(item{file: f.path, line: line, fileErr: err})
	}
}
