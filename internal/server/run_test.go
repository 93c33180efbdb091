package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
)

// start runs s on a free local port until the returned stop is called; stop
// returns Run's error.
func start(t *testing.T, s *Server) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, ln) }()
	var once bool
	var runErr error
	stop = func() error {
		if !once {
			once = true
			cancel()
			runErr = <-done
		}
		return runErr
	}
	t.Cleanup(func() { stop() })
	return ln.Addr().String(), stop
}

func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	s, logs := newTestServer(t, Config{Pages: pagesFunc(func(r chi.Router) {
		r.Get("/slow", func(w http.ResponseWriter, r *http.Request) {
			close(started)
			<-release
			io.WriteString(w, "done")
		})
	})})
	addr, stop := start(t, s)

	type answer struct {
		body string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{string(b), err}
	}()
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()

	// New connections are refused once shutdown has begun…
	refused := false
	for range 200 {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if !refused {
		t.Error("the server still accepts connections after shutdown began")
	}
	// …while the request in flight finishes normally.
	close(release)
	if a := <-answered; a.err != nil || a.body != "done" {
		t.Errorf("request in flight: body %q, err %v; want it to finish", a.body, a.err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Run: %v", err)
	}
	if !strings.Contains(logs.String(), "stopped serving") {
		t.Errorf("no shutdown log line in %s", logs)
	}
}

func TestShutdownGraceExpires(t *testing.T) {
	started := make(chan struct{})
	s, logs := newTestServer(t, Config{
		Timeouts: Timeouts{Shutdown: 100 * time.Millisecond},
		Pages: pagesFunc(func(r chi.Router) {
			r.Get("/stuck", func(w http.ResponseWriter, r *http.Request) {
				close(started)
				select {
				case <-r.Context().Done():
				case <-time.After(time.Minute):
				}
			})
		}),
	})
	addr, stop := start(t, s)
	answered := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/stuck")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		answered <- err
	}()
	<-started
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := <-answered; err == nil {
		t.Error("a request stuck past the grace period should have its connection closed")
	}
	if !strings.Contains(logs.String(), "after the grace period") {
		t.Errorf("no log line about the grace period in %s", logs)
	}
}

func TestStalledClientIsDisconnected(t *testing.T) {
	s, _ := newTestServer(t, Config{Timeouts: Timeouts{ReadHeader: 100 * time.Millisecond}})
	addr, _ := start(t, s)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // and never the blank line
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = bufio.NewReader(c).ReadString('\n')
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server kept a connection open whose headers never ended")
	}
}

func TestMetrics(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	do(t, s, "GET", "/api/search?q=x", nil)
	do(t, s, "GET", "/api/search?size=0", nil)
	do(t, s, "GET", "/api/articles/a:1", nil)
	do(t, s, "GET", "/api/articles/b:2", nil)
	do(t, s, "GET", "/no/such/page", nil)
	rec := do(t, s, "GET", "/metrics", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	for _, want := range []string{
		`kho_http_requests_total{method="GET",route="/api/search",status="200"} 1`,
		`kho_http_requests_total{method="GET",route="/api/search",status="400"} 1`,
		`kho_http_requests_total{method="GET",route="/api/articles/{id}",status="404"} 2`,
		`kho_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`kho_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"} 2`,
		`kho_http_request_duration_seconds_count{route="/api/articles/{id}"} 2`,
		"kho_index_documents 0",
		`kho_ingest_records_total{result="added"} 0`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
