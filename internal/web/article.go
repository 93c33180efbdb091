package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kho/index"
	"kho/internal/article"
)

// relatedCount is how many related stories an article page lists.
const relatedCount = 6

// articlePage is what the article template shows.
type articlePage struct {
	layout
	Headline       string
	Summary        string
	Paragraphs     []string
	Captions       []string
	Date, ISODate  string
	DateNote       string // says when the date was read from the text, not given
	Source, Author link   // each links to a search narrowed to it
	Category       link
	Tags           []link
	Original       string // the article on its paper's site (http or https only)
	Related        []hitView
	RelatedFailed  bool
	Back           link // the search the reader came from
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/a/")
	if id == "" {
		s.notFound(w, r)
		return
	}
	a, err := s.engine.Article(r.Context(), id)
	switch {
	case errors.Is(err, index.ErrNotFound):
		s.articleNotFound(w, r)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	back := stateOf(r.URL.Query())
	p := s.articlePage(a, back)
	rel, err := s.engine.Related(r.Context(), index.RelatedRequest{ID: a.ID, Size: relatedCount})
	if err != nil { // the article is still worth showing
		s.log.ErrorContext(r.Context(), "related stories", "id", a.ID, "err", err)
		p.RelatedFailed = true
	}
	loc := s.engine.Location()
	for _, h := range rel {
		p.Related = append(p.Related, newHitView(h, back, loc))
	}
	s.render(w, r, http.StatusOK, "article", p)
}

func (s *Server) articlePage(a *article.Article, back state) articlePage {
	loc := s.engine.Location()
	title := strings.TrimSpace(a.Title)
	if title == "" {
		title = "(không có tiêu đề)"
	}
	p := articlePage{
		layout:     layout{Title: title + " – Kho", Query: back.get("q"), Hidden: back.hidden("q")},
		Headline:   title,
		Summary:    strings.TrimSpace(a.Summary),
		Paragraphs: paragraphs(a.Body),
		Date:       dayTime(a.Published, loc),
		Source:     filterLink(a.Source, "source"),
		Author:     filterLink(a.Author, "author"),
		Category:   filterLink(a.Category, "category"),
		Original:   webURL(a.URL),
		Back:       link{Label: "Quay lại kết quả tìm kiếm", Href: back.href()},
	}
	if len(back) == 0 {
		p.Back.Label = "Về trang tìm kiếm"
	}
	if !a.Published.IsZero() {
		p.ISODate = a.Published.In(loc).Format(time.RFC3339)
	}
	if a.PublishedFrom == article.FromText {
		p.DateNote = "ngày suy ra từ nội dung bài"
	}
	for _, c := range a.Captions {
		if c = strings.TrimSpace(c); c != "" {
			p.Captions = append(p.Captions, c)
		}
	}
	for _, t := range a.Tags {
		if l := filterLink(t, "tag"); l.Label != "" {
			p.Tags = append(p.Tags, l)
		}
	}
	return p
}

// filterLink is a search for every article with this source, author…
func filterLink(value, param string) link {
	value = strings.TrimSpace(value)
	if value == "" {
		return link{}
	}
	return link{Label: value, Href: state{param: {value}}.href()}
}

// paragraphs splits a body on its line breaks; archives mark paragraphs
// with blank lines or with single newlines.
func paragraphs(body string) []string {
	var ps []string
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ps = append(ps, line)
		}
	}
	return ps
}

// webURL keeps only http and https links: an archive record could hold any
// scheme, and a javascript: link must not reach the page.
func webURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func (s *Server) articleNotFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "message", messagePage{
		layout:  layout{Title: "Không tìm thấy bài viết – Kho"},
		Heading: "Không tìm thấy bài viết",
		Text:    "Bài viết này không có trong kho lưu trữ: có thể đường dẫn bị sai hoặc bài đã bị xóa.",
	})
}
