package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"kho/internal/httpapi"
)

// RequestIDHeader carries the request id in both directions: a proxy in
// front may set it, and every response reports it so a user's complaint can
// be matched with the log line.
const RequestIDHeader = "X-Request-Id"

var (
	idPrefix  = newIDPrefix()
	idCounter atomic.Uint64
	// An incoming id is kept only when it is short and plain, so clients
	// cannot put arbitrary text in the logs.
	plainID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)
)

func newIDPrefix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// requestID gives each request an id, stored where chi's
// middleware.GetReqID finds it.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !plainID.MatchString(id) {
			id = idPrefix + "-" + strconv.FormatUint(idCounter.Add(1), 10)
		}
		w.Header().Set(RequestIDHeader, id)
		ctx := context.WithValue(r.Context(), middleware.RequestIDKey, id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Security headers on every response. The API only ever sends JSON, so its
// policy allows nothing; pages replace Content-Security-Policy with their own.
var securityHeaderValues = [][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "same-origin"},
	{"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaderValues {
			h.Set(kv[0], kv[1])
		}
		next.ServeHTTP(w, r)
	})
}

// observe logs every request with its status and latency and counts it in
// the metrics, labelled by route pattern (not path, which would make a label
// per article).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		took := time.Since(start)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		route := routeOf(r)
		s.metrics.observe(route, r.Method, status, took)
		level := slogLevel(status)
		s.log.Log(r.Context(), level, "request",
			"method", r.Method, "path", r.URL.Path, "route", route, "status", status,
			"bytes", ww.BytesWritten(), "ms", float64(took.Microseconds())/1000,
			"request_id", middleware.GetReqID(r.Context()), "remote", r.RemoteAddr)
	})
}

// routeOf is the chi pattern that matched, or "unmatched".
func routeOf(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" && p != "/*" {
			return p
		}
	}
	return "unmatched"
}

// recoverPanic turns a panic in a handler into a JSON 500 and a log line with
// the request id and stack, instead of a dropped connection.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { // the handler's way of dropping a connection
				panic(v)
			}
			id := middleware.GetReqID(r.Context())
			s.log.ErrorContext(r.Context(), "panic serving request", "request_id", id,
				"method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if ww, ok := w.(middleware.WrapResponseWriter); ok && ww.Status() != 0 {
				return // the response has started; the client sees it cut short
			}
			httpapi.WriteError(w, http.StatusInternalServerError, "internal", "internal error (request id "+id+")")
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over max bytes with 413: at once when the
// request says its length, or when a handler reads past the limit.
func limitBody(max int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > max {
				w.Header().Set("Connection", "close")
				httpapi.WriteError(w, http.StatusRequestEntityTooLarge, "body_too_large",
					fmt.Sprintf("body: %d bytes is over the limit of %d bytes", r.ContentLength, max))
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, max)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// slogLevel logs server errors as errors, everything else as information.
func slogLevel(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
