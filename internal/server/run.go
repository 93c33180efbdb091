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
	ctl := s.startControl()
	defer ctl.Close() // after the graceful stop below, or when Serve failed
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	s.log.Info("shutting down: no new connections; waiting for requests in flight", "grace", t.Shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), t.Shutdown)
	defer cancel()
	err := srv.Shutdown(sctx)
	ctl.Shutdown(sctx) // a backup in flight finishes within the same grace
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

// startControl serves the control socket (backups) when the index is on
// disk. Without it the server still serves; only kho backup cannot reach it.
func (s *Server) startControl() *http.Server {
	ctl := &http.Server{Handler: s.control(), ReadHeaderTimeout: s.cfg.Timeouts.ReadHeader,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	dir := s.cfg.Index.Path()
	if dir == "" {
		return ctl // never started: Shutdown and Close do nothing
	}
	ln, err := listenControl(dir)
	if err != nil {
		s.log.Warn("kho backup cannot reach this server; stop it to back up", "err", err)
		return ctl
	}
	go ctl.Serve(ln)
	return ctl
}
