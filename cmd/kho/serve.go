package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"kho/index"
	"kho/internal/httpapi"
	"kho/internal/web"
)

const defaultIndex = "data/kho.bleve"

// shutdownGrace is how long requests in flight may finish after SIGTERM.
const shutdownGrace = 10 * time.Second

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	indexDir := fs.String("index", defaultIndex, "index directory")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ix, err := index.Open(*indexDir, index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	n, _ := ix.Count()
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "index", *indexDir, "articles", n)
	fmt.Fprintf(stdout, "kho: serving %d articles on http://%s\n", n, ln.Addr())
	return serve(ctx, ln, newRouter(ix, log), log)
}

// newRouter assembles the whole HTTP surface: middleware, API and pages.
func newRouter(ix *index.Index, log *slog.Logger) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, requestLog(log), middleware.Recoverer)
	httpapi.New(ix, log).Routes(r)
	web.New(ix, log).Routes(r)
	return r
}

// serve runs the server until ctx ends, then gives requests in flight
// shutdownGrace to finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// requestLog logs each request with its status and latency.
func requestLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			log.Info("request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
				"bytes", ww.BytesWritten(), "ms", float64(time.Since(start).Microseconds())/1000,
				"request_id", middleware.GetReqID(r.Context()))
		})
	}
}
