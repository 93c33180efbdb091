package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"kho/index"
	"kho/internal/article"
	"kho/internal/request"
)

// Engine is what the API needs from an index.
type Engine interface {
	Search(ctx context.Context, req index.SearchRequest) (*index.SearchResult, error)
	Article(ctx context.Context, id string) (*article.Article, error)
	Related(ctx context.Context, req index.RelatedRequest) ([]index.Hit, error)
	Location() *time.Location
}

// Server holds the API's dependencies.
type Server struct {
	engine   Engine
	log      *slog.Logger
	archive  Archive // nil: writes are refused
	tokenSum []byte  // sha256 of the write token
}

// New returns the API server for an engine.
func New(engine Engine, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Server{engine: engine, log: log}
}

// maxDraftBytes bounds a POST /api/related draft.
const maxDraftBytes = 1 << 20

// Routes registers the API on r.
func (s *Server) Routes(r chi.Router) {
	r.Get("/healthz", s.healthz)
	r.Route("/api", func(r chi.Router) {
		r.Get("/search", s.search)
		r.With(s.onlyParams()).Get("/articles/{id}", s.article)
		r.Post("/articles", s.putArticles)          // parameters checked after the token
		r.Delete("/articles/{id}", s.deleteArticle) // likewise
		r.With(s.onlyParams("size", "window")).Get("/articles/{id}/related", s.relatedToArticle)
		r.With(s.onlyParams("size", "window")).Post("/related", s.relatedToDraft)
		r.With(s.onlyParams("text")).Get("/analyze", s.analyze)
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, &apiError{http.StatusNotFound, "not_found", "no such endpoint"})
		})
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, &apiError{http.StatusMethodNotAllowed, "method_not_allowed", r.Method + " is not allowed here"})
		})
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	req, err := request.ParseSearch(r.URL.Query(), s.engine.Location())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.engine.Search(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, SearchResponse(req.Text, req, res))
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	a, err := s.engine.Article(r.Context(), articleID(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, articleResponse(a))
}

func (s *Server) relatedToArticle(w http.ResponseWriter, r *http.Request) {
	req := index.RelatedRequest{ID: articleID(r)}
	if err := relatedParams(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.related(w, r, req)
}

func (s *Server) relatedToDraft(w http.ResponseWriter, r *http.Request) {
	var draft struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxDraftBytes))
	if err := dec.Decode(&draft); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.writeError(w, r, err)
			return
		}
		s.writeError(w, r, badRequest("bad_body", "body: expected a JSON object {\"title\": …, \"text\": …}: "+err.Error()))
		return
	}
	if draft.Title == "" && draft.Text == "" {
		s.writeError(w, r, badRequest("bad_body", "body: title and text are both empty"))
		return
	}
	req := index.RelatedRequest{Title: draft.Title, Text: draft.Text}
	if err := relatedParams(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.related(w, r, req)
}

func (s *Server) related(w http.ResponseWriter, r *http.Request, req index.RelatedRequest) {
	hs, err := s.engine.Related(r.Context(), req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, relatedResponse{Hits: hits(hs)})
}

// articleID is the {id} of the path, decoded: chi matches the escaped path
// when there is one, so an id with a "/" arrives as "%2F".
func articleID(r *http.Request) string {
	id := chi.URLParam(r, "id")
	if r.URL.RawPath != "" {
		if u, err := url.PathUnescape(id); err == nil {
			return u
		}
	}
	return id
}

// relatedParams reads size (1–100, default 10) and window (days, optional).
func relatedParams(r *http.Request, req *index.RelatedRequest) error {
	q := r.URL.Query()
	size, err := intParam(q.Get("size"), "size", 10, 1, 100)
	if err != nil {
		return err
	}
	window, err := intParam(q.Get("window"), "window", 0, 1, 36500)
	if err != nil {
		return err
	}
	req.Size, req.WindowDays = size, window
	return nil
}

// intParam parses an optional integer parameter within [lo, hi].
func intParam(v, name string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("bad_parameter", fmt.Sprintf("%s: must be an integer from %d to %d, got %q", name, lo, hi, v))
	}
	return n, nil
}

func (s *Server) analyze(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("text")
	if len(text) > maxDraftBytes {
		s.writeError(w, r, badRequest("bad_parameter", "text: longer than 1 MB"))
		return
	}
	writeJSON(w, http.StatusOK, index.Analyze(text))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
