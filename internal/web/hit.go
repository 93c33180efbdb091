package web

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"kho/index"
)

// hitView is one result as the page shows it.
type hitView struct {
	Href     string
	Title    template.HTML
	Source   string
	Category string
	Date     string
	ISODate  string // for <time datetime>; "" when unknown
	Snippet  template.HTML
	AlsoIn   string
}

// newHitView links a hit to its article page; the link carries the search
// (back) so the article page can lead back to it.
func newHitView(h index.Hit, back state, loc *time.Location) hitView {
	v := hitView{
		Href:     articleHref(h.ID, back),
		Title:    titleHTML(h),
		Source:   h.Source,
		Category: h.Category,
		Date:     day(h.Published, loc),
		Snippet:  marked(h.Snippet),
		AlsoIn:   strings.Join(h.AlsoIn, ", "),
	}
	if !h.Published.IsZero() {
		v.ISODate = h.Published.In(loc).Format(time.DateOnly)
	}
	return v
}

// articleHref is the article page of id, remembering the search it came from.
func articleHref(id string, back state) string {
	href := "/a/" + url.PathEscape(id)
	if q := back.query(); q != "" {
		href += "?" + q
	}
	return href
}

func titleHTML(h index.Hit) template.HTML {
	switch {
	case strings.TrimSpace(h.TitleHTML) != "":
		return marked(h.TitleHTML)
	case strings.TrimSpace(h.Title) != "":
		return template.HTML(template.HTMLEscapeString(h.Title))
	}
	return "(không có tiêu đề)"
}
