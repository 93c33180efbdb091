package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kho/index"
	"kho/internal/httpapi"
)

// DefaultMaxBody is the largest request body accepted when Config.MaxBody is 0.
const DefaultMaxBody = 32 << 20

// Pages is the reader's web interface. It mounts its routes, and may set the
// router's NotFound handler, on the same router as the API, behind the same
// middleware. Pages set their own Content-Security-Policy header.
type Pages interface {
	Routes(r chi.Router)
}

// Config is everything the server is built from; cmd/kho fills it from flags.
type Config struct {
	Index      *index.Index // required
	Log        *slog.Logger // nil discards logs
	WriteToken string       // "" refuses writes with 403
	MaxBody    int64        // request body limit in bytes; DefaultMaxBody when 0
	Pages      Pages        // nil serves the API only
	Timeouts   Timeouts     // zero fields take the defaults
}

// Server is kho's whole HTTP surface, ready to serve.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler
	metrics *metrics
}

// New assembles the router: middleware, JSON API, /metrics and pages.
func New(cfg Config) (*Server, error) {
	if cfg.Index == nil {
		return nil, errors.New("server: no index")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxBody < 0 {
		return nil, fmt.Errorf("server: body limit %d is negative", cfg.MaxBody)
	}
	cfg.Timeouts = cfg.Timeouts.withDefaults()
	s := &Server{cfg: cfg, log: cfg.Log, metrics: newMetrics(cfg.Index)}

	r := chi.NewRouter()
	r.Use(requestID, securityHeaders, s.observe, s.recoverPanic, limitBody(cfg.MaxBody))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		httpapi.WriteError(w, http.StatusNotFound, "not_found", "no such page")
	})
	api := httpapi.New(cfg.Index, cfg.Log)
	if cfg.WriteToken != "" {
		api.AllowWrites(newArchive(cfg.Index, s.metrics), cfg.WriteToken)
	}
	api.Routes(r)
	r.Method(http.MethodGet, "/metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(cfg.Log.Handler(), slog.LevelError),
	}))
	if cfg.Pages != nil {
		cfg.Pages.Routes(r)
	}
	s.handler = r
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Timeouts bound how long a client may hold a connection. They stop slow or
// stalled clients from piling up connections on a server left running for
// years.
type Timeouts struct {
	ReadHeader time.Duration // request line and headers
	Read       time.Duration // the whole request, body included
	Write      time.Duration // from the end of the headers to the end of the response
	Idle       time.Duration // a keep-alive connection between requests
	Shutdown   time.Duration // requests in flight may finish after a stop
}

// DefaultTimeouts are generous for searches and for a 32 MiB POST on a slow
// link, and short enough that stalled connections do not linger.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       60 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
	Shutdown:   10 * time.Second,
}

func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts
	for _, f := range []struct{ v, def *time.Duration }{
		{&t.ReadHeader, &d.ReadHeader}, {&t.Read, &d.Read}, {&t.Write, &d.Write},
		{&t.Idle, &d.Idle}, {&t.Shutdown, &d.Shutdown},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return t
}
