package web

import (
	"html"
	"html/template"
	"strings"
)

const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// marked turns engine-highlighted text (HTML-escaped, with <mark> around
// matches) into HTML that is safe to put in a page. The engine is not
// trusted blindly: everything except the literal tags <mark> and </mark> is
// unescaped and escaped again, so a stray tag or a half-escaped character in
// an article can never become markup, and marks are kept balanced so one
// cannot swallow the rest of the page.
func marked(s string) template.HTML {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	text := func(t string) { b.WriteString(html.EscapeString(html.UnescapeString(t))) }
	open := false
	for s != "" {
		i, tag := nextMark(s)
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i+len(tag):]
		if (tag == markOpen) != open { // an opening tag when closed, a closing one when open
			b.WriteString(tag)
			open = !open
		}
	}
	if open {
		b.WriteString(markClose)
	}
	return template.HTML(b.String())
}

// nextMark finds the first <mark> or </mark> in s: its index (-1 if none)
// and which tag it is.
func nextMark(s string) (int, string) {
	o, c := strings.Index(s, markOpen), strings.Index(s, markClose)
	switch {
	case o < 0 && c < 0:
		return -1, ""
	case c < 0 || (o >= 0 && o < c):
		return o, markOpen
	}
	return c, markClose
}
