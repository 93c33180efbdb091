//go:build soak

package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kho/internal/vntext"
)

// TestSoak is `make soak`: kho serve on a copy of the whole corpus index,
// 32 clients for 5 minutes searching, reading articles and pages, asking for
// related stories, and writing and deleting articles. It fails on any 5xx or
// transport error, or when the server's memory grows more than 10 % after
// the first minute. Not part of make test.
//
// KHO_SOAK_INDEX: the corpus index (make soak builds it); KHO_SOAK_DURATION
// (default 5m); KHO_SOAK_CONCURRENCY (default 32); KHO_SOAK_OUT: where to
// write the figures as JSON.
func TestSoak(t *testing.T) {
	src := os.Getenv("KHO_SOAK_INDEX")
	if src == "" {
		t.Skip("KHO_SOAK_INDEX is not set: run make soak")
	}
	duration := envDuration(t, "KHO_SOAK_DURATION", 5*time.Minute)
	workers := envInt(t, "KHO_SOAK_CONCURRENCY", 32)
	titles := corpusTitles(t, 3000)

	// Serve a copy, so the writes do not change the corpus index.
	ix := filepath.Join(t.TempDir(), "ix")
	if out, errOut, code := runProcess(t, nil, "backup", "--index", src, "--out", ix); code != 0 {
		t.Fatalf("copy the corpus index: %s%s", out, errOut)
	}
	token := "soak-token-0123456789abcdef"
	s := startServe(t, []string{"KHO_WRITE_TOKEN=" + token}, "--index", ix)
	pid := s.cmd.Process.Pid
	t.Logf("serving %s (pid %d); %d clients for %v", ix, pid, workers, duration)

	l := &load{url: s.url, token: token, titles: titles, client: &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: time.Minute}}
	mem := sampleRSS(pid, 5*time.Second)
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { l.work(w, deadline) })
	}
	// Halfway through, a backup of the live index, as an operator would.
	backupDir := filepath.Join(t.TempDir(), "backup")
	var backupTook time.Duration
	var backupOut string
	wg.Go(func() {
		time.Sleep(duration / 2)
		began := time.Now()
		out, errOut, code := runProcess(t, nil, "backup", "--index", ix, "--out", backupDir)
		backupTook, backupOut = time.Since(began), strings.TrimSpace(out+errOut)
		if code != 0 {
			t.Errorf("kho backup during the soak: %s", backupOut)
		}
	})
	wg.Wait()
	elapsed := time.Since(start)
	rss := mem.stop()

	r := l.report(elapsed, rss)
	r.Backup = fmt.Sprintf("%s in %.1f s", backupOut, backupTook.Seconds())
	// Writes only add soak.test articles and delete some of them again.
	if got, base := statsOf(t, backupDir)["articles"], statsOf(t, src)["articles"]; got.(float64) < base.(float64) {
		t.Errorf("the backup made during the soak holds %v articles, fewer than the %v of the corpus index", got, base)
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	t.Logf("soak result:\n%s", b)
	if out := os.Getenv("KHO_SOAK_OUT"); out != "" {
		os.MkdirAll(filepath.Dir(out), 0o755)
		os.WriteFile(out, b, 0o644)
	}
	if r.ClientTimeouts > 0 {
		t.Logf("%d requests were not answered within the clients' minute: the machine is too slow for this load", r.ClientTimeouts)
	}
	if r.Status5xx > 0 || r.TransportErrors > 0 {
		t.Errorf("%d answers 5xx and %d transport errors, want none (first: %s)", r.Status5xx, r.TransportErrors, l.firstFailure.Load())
	}
	// The process's own memory must not grow; mapped index pages (in RSS
	// too) grow as searches and the backup touch more of the index.
	if r.AnonGrowthPercent > 10 {
		t.Errorf("server memory (RssAnon) grew %.1f %% after the first minute (%d → %d MB), want at most 10 %%",
			r.AnonGrowthPercent, r.AnonAfterFirstMinuteMB, r.AnonEndMB)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("kho serve after SIGTERM: %v", err)
	}
}

// load is the clients' shared state.
type load struct {
	url, token   string
	titles       []string
	client       *http.Client
	mu           sync.Mutex
	samples      map[string][]time.Duration // by kind of request
	statuses     map[int]int
	errors       int
	timeouts     int
	ids          []string // article ids seen in results
	firstFailure atomic.Value
	first400     string // the first request the server found bad, to tell client bugs from server bugs
}

func (l *load) work(w int, deadline time.Time) {
	rng := rand.New(rand.NewPCG(uint64(w), 42))
	var mine []string // ids this client wrote
	for n := 0; time.Now().Before(deadline); n++ {
		switch p := rng.IntN(100); {
		case p < 68:
			l.do("search", "GET", "/api/search?"+l.searchParams(rng), "")
		case p < 76:
			if id := l.someID(rng); id != "" {
				l.do("article", "GET", "/api/articles/"+url.PathEscape(id), "")
			}
		case p < 82:
			if id := l.someID(rng); id != "" {
				l.do("related", "GET", "/api/articles/"+url.PathEscape(id)+"/related?size=5", "")
			}
		case p < 88:
			l.do("page", "GET", "/?"+l.searchParams(rng), "")
		case p < 96:
			body, ids := l.newArticles(rng, w, n)
			l.do("write", "POST", "/api/articles", body)
			mine = append(mine, ids...)
		default:
			if len(mine) > 0 {
				id := mine[0]
				mine = mine[1:]
				l.do("delete", "DELETE", "/api/articles/"+url.PathEscape(id), "")
			}
		}
	}
}

// searchParams is a query made of one to three words of a real headline,
// with or without diacritics, sometimes a phrase, a filter or a later page.
func (l *load) searchParams(rng *rand.Rand) string {
	var words []string // words only: a lone "-" or quote would be a syntax error
	for _, w := range strings.Fields(l.titles[rng.IntN(len(l.titles))]) {
		if w = strings.Trim(w, `"“”'.,:;!?()-–`); w != "" && !strings.EqualFold(w, "or") {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		words = []string{"tin"}
	}
	k := 1 + rng.IntN(3)
	i := rng.IntN(max(1, len(words)-k+1))
	q := strings.Join(words[i:min(len(words), i+k)], " ")
	if rng.IntN(2) == 0 {
		q = vntext.Fold(q)
	}
	if k > 1 && rng.IntN(5) == 0 {
		q = `"` + q + `"`
	}
	v := url.Values{"q": {q}}
	switch rng.IntN(6) {
	case 0:
		v.Set("sort", "newest")
	case 1:
		v.Set("from", strconv.Itoa(2012+rng.IntN(14)))
	case 2:
		v.Set("page", strconv.Itoa(2+rng.IntN(4)))
	}
	return v.Encode()
}

func (l *load) someID(rng *rand.Rand) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ids) == 0 {
		return ""
	}
	return l.ids[rng.IntN(len(l.ids))]
}

// newArticles is a POST body of one to five new articles built from real
// headlines, and their keys.
func (l *load) newArticles(rng *rand.Rand, w, n int) (string, []string) {
	var b strings.Builder
	var ids []string
	for k := range 1 + rng.IntN(5) {
		id := fmt.Sprintf("%d-%d-%d", w, n, k)
		title := l.titles[rng.IntN(len(l.titles))]
		rec, _ := json.Marshal(map[string]string{"source": "soak.test", "id": id, "title": title,
			"body": title + ". " + l.titles[rng.IntN(len(l.titles))], "published": time.Now().Format(time.RFC3339)})
		b.Write(rec)
		b.WriteByte('\n')
		ids = append(ids, "soak.test:"+id)
	}
	return b.String(), ids
}

func (l *load) do(kind, method, path, body string) {
	req, _ := http.NewRequest(method, l.url+path, strings.NewReader(body))
	if method != "GET" {
		req.Header.Set("Authorization", "Bearer "+l.token)
	}
	start := time.Now()
	resp, err := l.client.Do(req)
	var payload []byte
	if err == nil {
		payload, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	took := time.Since(start)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.samples == nil {
		l.samples, l.statuses = map[string][]time.Duration{}, map[int]int{}
	}
	if err != nil {
		// A client that gives up after a minute is the machine being too
		// slow, counted apart; any other transport error (refused, reset)
		// means the server dropped a request.
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			l.timeouts++
			return
		}
		l.errors++
		l.firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s %s: %v", method, path, err))
		return
	}
	l.statuses[resp.StatusCode]++
	if resp.StatusCode >= 500 {
		l.firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s %s: %d %.200s", method, path, resp.StatusCode, payload))
	}
	if resp.StatusCode == 400 && l.first400 == "" {
		l.first400 = fmt.Sprintf("%s %s: %.300s", method, path, payload)
	}
	l.samples[kind] = append(l.samples[kind], took)
	if kind == "search" && len(l.ids) < 20000 {
		var res struct{ Hits []struct{ ID string } }
		if json.Unmarshal(payload, &res) == nil {
			for _, h := range res.Hits {
				l.ids = append(l.ids, h.ID)
			}
		}
	}
}

// soakReport is what BENCHMARKS.md records.
type soakReport struct {
	Seconds                float64                   `json:"seconds"`
	Requests               int                       `json:"requests"`
	PerSecond              float64                   `json:"requests_per_second"`
	Statuses               map[int]int               `json:"statuses"`
	Status5xx              int                       `json:"status_5xx"`
	TransportErrors        int                       `json:"transport_errors"`
	ClientTimeouts         int                       `json:"client_timeouts_1min"`
	LatencyMS              map[string]latencySummary `json:"latency_ms"`
	AnonAfterFirstMinuteMB int                       `json:"anon_after_first_minute_mb"`
	AnonEndMB              int                       `json:"anon_end_mb"`
	AnonGrowthPercent      float64                   `json:"anon_growth_percent"`
	RSSAfterFirstMinuteMB  int                       `json:"rss_after_first_minute_mb"`
	RSSEndMB               int                       `json:"rss_end_mb"`
	RSSPeakMB              int                       `json:"rss_peak_mb"`
	RSSGrowthPercent       float64                   `json:"rss_growth_percent"`
	First400               string                    `json:"first_400,omitempty"`
	Backup                 string                    `json:"backup"`
}

type latencySummary struct {
	N             int     `json:"n"`
	P50, P95, P99 float64 `json:"-"`
	Text          string  `json:"p50_p95_p99"`
}

func (l *load) report(elapsed time.Duration, rss []rssSample) soakReport {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := soakReport{Seconds: elapsed.Seconds(), Statuses: l.statuses, TransportErrors: l.errors, ClientTimeouts: l.timeouts,
		LatencyMS: map[string]latencySummary{}, First400: l.first400}
	var all []time.Duration
	for kind, s := range l.samples {
		r.LatencyMS[kind] = summarize(s)
		all = append(all, s...)
		r.Requests += len(s)
	}
	r.LatencyMS["all"] = summarize(all)
	r.PerSecond = float64(r.Requests) / elapsed.Seconds()
	for code, n := range l.statuses {
		if code >= 500 {
			r.Status5xx += n
		}
	}
	// Memory after the first minute: the mean of the samples between 50 s
	// and 70 s; at the end: the mean of the last three samples.
	var first, last []rssSample
	for _, s := range rss {
		if s.at >= 50*time.Second && s.at <= 70*time.Second {
			first = append(first, s)
		}
		r.RSSPeakMB = max(r.RSSPeakMB, int(s.total))
	}
	last = rss[max(0, len(rss)-3):]
	if len(first) > 0 && len(last) > 0 {
		fa, ea := meanOf(first, func(s rssSample) float64 { return s.anon }), meanOf(last, func(s rssSample) float64 { return s.anon })
		ft, et := meanOf(first, func(s rssSample) float64 { return s.total }), meanOf(last, func(s rssSample) float64 { return s.total })
		r.AnonAfterFirstMinuteMB, r.AnonEndMB = int(fa), int(ea)
		r.AnonGrowthPercent = 100 * (ea - fa) / fa
		r.RSSAfterFirstMinuteMB, r.RSSEndMB = int(ft), int(et)
		r.RSSGrowthPercent = 100 * (et - ft) / ft
	}
	return r
}

func summarize(s []time.Duration) latencySummary {
	if len(s) == 0 {
		return latencySummary{}
	}
	slices.Sort(s)
	q := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	ls := latencySummary{N: len(s), P50: q(.50), P95: q(.95), P99: q(.99)}
	ls.Text = fmt.Sprintf("%.1f / %.1f / %.1f", ls.P50, ls.P95, ls.P99)
	return ls
}

func meanOf(xs []rssSample, f func(rssSample) float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += f(x)
	}
	return sum / float64(len(xs))
}

// rssSample is the server's resident memory at one moment: anon is what
// the process allocated (heap, stacks); total adds the pages of the
// memory-mapped index files it has touched, which the kernel can drop.
type rssSample struct {
	at          time.Duration
	anon, total float64 // MB
}

type rssSampler struct {
	stopc   chan struct{}
	done    chan []rssSample
	samples []rssSample
}

// sampleRSS reads the resident memory of process pid every interval.
func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stopc: make(chan struct{}), done: make(chan []rssSample, 1)}
	start := time.Now()
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		var out []rssSample
		for {
			select {
			case <-s.stopc:
				s.done <- out
				return
			case <-tick.C:
				if anon, total, ok := rssMB(pid); ok {
					out = append(out, rssSample{time.Since(start), anon, total})
				}
			}
		}
	}()
	return s
}

func (s *rssSampler) stop() []rssSample {
	close(s.stopc)
	return <-s.done
}

func rssMB(pid int) (anon, total float64, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, false
	}
	kb := func(field string) (float64, bool) {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, found := strings.CutPrefix(line, field+":"); found {
				n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
				return float64(n) / 1024, err == nil
			}
		}
		return 0, false
	}
	anon, ok1 := kb("RssAnon")
	total, ok2 := kb("VmRSS")
	return anon, total, ok1 && ok2
}

// corpusTitles reads up to n headlines from each corpus file.
func corpusTitles(t *testing.T, n int) []string {
	t.Helper()
	dir := os.Getenv("KHO_SHARED")
	if dir == "" {
		dir = "../../../shared"
	}
	files, _ := filepath.Glob(filepath.Join(dir, "corpus", "*.jsonl.gz"))
	var titles []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(nil, 64<<20)
		for k := 0; k < n && sc.Scan(); k++ {
			var rec struct{ Title string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && len(strings.Fields(rec.Title)) > 1 {
				titles = append(titles, rec.Title)
			}
		}
		f.Close()
	}
	if len(titles) == 0 {
		t.Fatalf("no headlines in %s/corpus", dir)
	}
	return titles
}

func envDuration(t *testing.T, name string, def time.Duration) time.Duration {
	if v := os.Getenv(name); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return d
	}
	return def
}

func envInt(t *testing.T, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return n
	}
	return def
}
