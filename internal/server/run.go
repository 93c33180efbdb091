package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
)

// Run serves on ln until ctx ends (SIGTERM or Ctrl-C in kho serve). Then it
// stops accepting connections, lets requests in flight finish for up to
// Timeouts.Shutdown, and closes the connections still open. The caller closes
// the index after Run returns; bleve waits for searches and writes still
// running, so the index is always closed cleanly.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	t := s.cfg.Timeouts
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	s.log.Info("shutting down: no new connections; waiting for requests in flight", "grace", t.Shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), t.Shutdown)
	defer cancel()
	err := srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("requests still running after the grace period; closing their connections", "grace", t.Shutdown.String())
		err = srv.Close()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	s.log.Info("stopped serving")
	return nil
}
