package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"kho/index"
	"kho/internal/article"
)

// Engine is what the pages need from an index; *index.Index satisfies it.
type Engine interface {
	Search(ctx context.Context, req index.SearchRequest) (*index.SearchResult, error)
	Article(ctx context.Context, id string) (*article.Article, error)
	Related(ctx context.Context, req index.RelatedRequest) ([]index.Hit, error)
	Location() *time.Location
}

//go:embed templates
var templateFS embed.FS

// Server renders the reader's pages.
type Server struct {
	engine Engine
	log    *slog.Logger
	pages  map[string]*template.Template // by file name without .html
	assets *assets
}

// New returns the pages for an engine. The templates are embedded and
// parsed here, so a broken template stops the program at start, not on a
// reader's request.
func New(engine Engine, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{engine: engine, log: log, assets: newAssets(), pages: map[string]*template.Template{}}
	funcs := template.FuncMap{"asset": s.assets.url}
	for _, name := range []string{"search", "article", "message"} {
		s.pages[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/base.html", "templates/hit.html", "templates/"+name+".html"))
	}
	return s
}

// Routes registers the pages on r: /, /a/{id}, /static/* and the HTML
// page for unknown paths.
func (s *Server) Routes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(securityHeaders)
		r.Get("/", s.search)
		r.Get("/a/*", s.article)
		r.Get("/static/*", s.assets.serve)
		r.NotFound(s.notFound)
	})
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere:
// the pages work offline and injected markup cannot run.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// render writes a whole page or, if the template fails, a bare 500: the
// page is built in memory first so a reader never gets half of one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "base", data); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", page, "err", err)
		http.Error(w, "Lỗi máy chủ", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an engine error with a friendly page; the details go to the
// log only.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, context.Canceled):
		s.log.InfoContext(r.Context(), "request cancelled", "path", r.URL.Path)
		return // the reader has gone
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusServiceUnavailable
	}
	s.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
	s.render(w, r, status, "message", messagePage{
		layout:  layout{Title: "Lỗi – Kho"},
		Heading: "Đã xảy ra lỗi",
		Text:    "Máy chủ chưa trả lời được yêu cầu này. Vui lòng thử lại sau ít phút.",
	})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "message", messagePage{
		layout:  layout{Title: "Không tìm thấy trang – Kho"},
		Heading: "Không tìm thấy trang",
		Text:    "Địa chỉ này không có trong Kho. Hãy tìm bài viết bằng ô tìm kiếm ở trên.",
	})
}

// layout is what every page's frame needs.
type layout struct {
	Title     string
	Query     string  // in the search box
	Hidden    []param // the rest of the search, kept when the box is submitted
	Autofocus bool
}

// messagePage is a page with a heading and a sentence: errors, not found.
type messagePage struct {
	layout
	Heading, Text string
}
