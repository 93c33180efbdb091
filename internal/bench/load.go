package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Target is an engine answering kho's GET /api/search over HTTP.
type Target struct {
	Name    string
	BaseURL string // e.g. http://127.0.0.1:41234
	Client  *http.Client
}

// NewTarget talks to the server at baseURL with enough idle connections for
// every concurrent client.
func NewTarget(name, baseURL string) Target {
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
	return Target{Name: name, BaseURL: baseURL, Client: &http.Client{Transport: tr, Timeout: 5 * time.Minute}}
}

// Sample is one request's outcome.
type Sample struct {
	Query   int // index into the query list
	Latency time.Duration
	Total   int // articles found
}

// Run is the outcome of sending requests at a fixed concurrency.
type Run struct {
	Concurrency int
	Wall        time.Duration
	Samples     []Sample // in the order the requests were issued
}

// Load sends requests queries (cycling through the list) from concurrency
// clients, each sending its next request as soon as its last one is answered.
func Load(ctx context.Context, t Target, queries []Query, concurrency, requests int) (*Run, error) {
	run := &Run{Concurrency: concurrency, Samples: make([]Sample, requests)}
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= requests || ctx.Err() != nil {
					return
				}
				qi := i % len(queries)
				s, err := t.search(ctx, queries[qi])
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("%s: query %q: %w", t.Name, queries[qi], err) })
					cancel()
					return
				}
				s.Query = qi
				run.Samples[i] = s
			}
		})
	}
	wg.Wait()
	run.Wall = time.Since(start)
	if firstErr != nil {
		return nil, firstErr
	}
	return run, ctx.Err()
}

func (t Target) search(ctx context.Context, q Query) (Sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/api/search?"+q.Values().Encode(), nil)
	if err != nil {
		return Sample{}, err
	}
	start := time.Now()
	resp, err := t.Client.Do(req)
	if err != nil {
		return Sample{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	latency := time.Since(start)
	if err != nil {
		return Sample{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Sample{}, fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	var r struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Sample{}, fmt.Errorf("decode response: %w", err)
	}
	return Sample{Latency: latency, Total: r.Total}, nil
}

// Latencies are the run's latencies, sorted, optionally only those of the
// queries keep accepts.
func (r *Run) Latencies(keep func(qi int) bool) []time.Duration {
	var out []time.Duration
	for _, s := range r.Samples {
		if keep == nil || keep(s.Query) {
			out = append(out, s.Latency)
		}
	}
	slices.Sort(out)
	return out
}

// QPS is requests answered per second of wall time.
func (r *Run) QPS() float64 { return float64(len(r.Samples)) / r.Wall.Seconds() }

// Percentile of sorted durations (nearest rank); 0 when there are none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
