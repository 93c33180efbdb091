package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"kho/internal/ingest"
)

// logEvery is how often a run without a terminal logs its progress.
const logEvery = 5 * time.Second

// showProgress shows an ingest's progress on stderr: a bar with articles/s
// and ETA on a terminal, a log line every few seconds otherwise. The
// returned function stops it.
func showProgress(in *ingest.Ingester, stderr io.Writer) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		go func() { defer wg.Done(); progressBar(in, stderr, done) }()
	} else {
		go func() { defer wg.Done(); progressLog(in, stderr, done) }()
	}
	return func() { close(done); wg.Wait() }
}

func progressBar(in *ingest.Ingester, w io.Writer, done <-chan struct{}) {
	total := in.Progress().BytesTotal
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("ingest"))
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			bar.Clear()
			fmt.Fprintln(w)
			return
		case <-tick.C:
			p := in.Progress()
			if p.BytesTotal != total {
				total = p.BytesTotal
				bar.ChangeMax64(total)
			}
			bar.Describe(fmt.Sprintf("%d articles, %.0f/s", p.Read, rate(p)))
			bar.Set64(p.BytesRead)
		}
	}
}

func progressLog(in *ingest.Ingester, w io.Writer, done <-chan struct{}) {
	log := slog.New(slog.NewTextHandler(w, nil))
	tick := time.NewTicker(logEvery)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			p := in.Progress()
			attrs := []any{"files", p.Files, "read", p.Read, "written", p.Written, "skipped", p.Skipped,
				"articles_per_s", int(rate(p))}
			if p.BytesTotal > 0 {
				attrs = append(attrs, "done_pct", fmt.Sprintf("%.1f", 100*float64(p.BytesRead)/float64(p.BytesTotal)))
			}
			log.Info("ingest progress", attrs...)
		}
	}
}

func rate(p ingest.Progress) float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Read) / p.Elapsed.Seconds()
}
