package web

import (
	"errors"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kho/index"
	"kho/internal/article"
)

// hostile strings a reader or an archive could bring.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`'><svg onload=alert(1)>`,
	`javascript:alert(1)`,
}

// hostileEngine returns hostile text everywhere: in what the engine
// escapes (TitleHTML, Snippet) and in plain fields.
func hostileEngine(evil string) *fakeEngine {
	esc := html.EscapeString(evil)
	hit := index.Hit{
		ID: "x.vn:" + evil, Title: evil, TitleHTML: "<mark>" + esc + "</mark>" + esc,
		Source: evil, Category: evil, Snippet: esc + "<mark>" + esc + "</mark>", AlsoIn: []string{evil},
	}
	return &fakeEngine{
		search: func(req index.SearchRequest) (*index.SearchResult, error) {
			return &index.SearchResult{
				Total: 1, Suggestion: evil, Hits: []index.Hit{hit},
				Facets: index.Facets{
					Years: []index.Bucket{bucket("2024", 1)}, Months: []index.Bucket{bucket("2024-06", 1)},
					Categories: []index.Bucket{bucket(evil, 1)}, Sources: []index.Bucket{bucket(evil, 1)},
				},
			}, nil
		},
		article: func(id string) (*article.Article, error) {
			return &article.Article{
				ID: id, Title: evil, Summary: evil, Body: evil + "\n\n" + evil, Captions: []string{evil},
				Author: evil, Category: evil, Tags: []string{evil}, Source: evil, URL: evil,
			}, nil
		},
		related: func(index.RelatedRequest) ([]index.Hit, error) { return []index.Hit{hit}, nil },
	}
}

// TestHostileTextStaysText puts script and attribute-breaking strings into
// the query, the filters and every field of an article, and checks that no
// tag or attribute of theirs reaches a page.
func TestHostileTextStaysText(t *testing.T) {
	for _, evil := range hostile {
		e := hostileEngine(evil)
		q := "q=" + urlEscape(evil) + "&source=" + urlEscape(evil) + "&tag=" + urlEscape(evil)
		for _, target := range []string{"/?" + q, "/a/" + urlPathEscape("x.vn:"+evil) + "?" + q} {
			r := get(t, e, target)
			if r.status != 200 && r.status != 400 { // an unclosed quote is a bad query
				t.Errorf("%s: status %d", target, r.status)
			}
			checkNoInjection(t, target, r.body)
			if !strings.Contains(r.body, "</html>") {
				t.Errorf("%s: the page is cut short", target)
			}
		}
	}
}

var (
	// tagRe finds the tags of a page: text and attribute values are escaped
	// by html/template, so every raw "<" starts a real tag.
	tagRe     = regexp.MustCompile(`<[a-zA-Z/][^>]*>`)
	tagNameRe = regexp.MustCompile(`^</?([a-zA-Z0-9]+)`)
	attrRe    = regexp.MustCompile(`\s([a-zA-Z-]+)(?:="([^"]*)")?`)
	// ourTags are the elements the templates write.
	ourTags = strings.Fields(`html head meta title link script body a header div form label input
		button main footer p span kbd h1 h2 h3 section nav ol ul li svg rect aside fieldset legend
		time article code pre mark`)
)

// checkNoInjection fails when a page has a tag the templates do not write,
// an event handler attribute, an inline style or a script other than ours.
func checkNoInjection(t *testing.T, target, body string) {
	t.Helper()
	scripts := 0
	for _, tag := range tagRe.FindAllString(body, -1) {
		name := strings.ToLower(tagNameRe.FindStringSubmatch(tag)[1])
		if !slices.Contains(ourTags, name) {
			t.Errorf("%s: injected tag %q", target, tag)
		}
		for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
			attr, value := strings.ToLower(a[1]), strings.ToLower(html.UnescapeString(a[2]))
			switch {
			case strings.HasPrefix(attr, "on"):
				t.Errorf("%s: event handler in %q", target, tag)
			case attr == "style":
				t.Errorf("%s: inline style in %q (the CSP blocks it)", target, tag)
			case (attr == "href" || attr == "src" || attr == "action") && strings.HasPrefix(strings.TrimSpace(value), "javascript:"):
				t.Errorf("%s: javascript: URL in %q", target, tag)
			}
		}
		if name == "script" && !strings.HasPrefix(tag, "</") {
			scripts++
			if !strings.HasPrefix(tag, `<script src="/static/kho.js?v=`) {
				t.Errorf("%s: script %q is not ours", target, tag)
			}
		}
	}
	if scripts != 1 {
		t.Errorf("%s: %d scripts, want 1", target, scripts)
	}
}

// TestEveryPageSendsTheCSP checks the headers of every kind of page and
// that none of them needs inline script or style.
func TestEveryPageSendsTheCSP(t *testing.T) {
	e := hostileEngine("x")
	failing := &fakeEngine{search: func(index.SearchRequest) (*index.SearchResult, error) { return nil, errors.New("boom") }}
	for _, c := range []struct {
		e      Engine
		target string
	}{
		{e, "/"}, {e, "/?q=a"}, {e, "/?size=0"}, {e, "/a/x.vn:1"}, {&fakeEngine{}, "/a/nope"},
		{e, "/no/such/page"}, {failing, "/?q=a"}, {e, "/static/style.css"},
	} {
		r := get(t, c.e, c.target)
		if got := r.header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: CSP %q", c.target, got)
		}
		if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", c.target, got)
		}
		if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			checkNoInjection(t, c.target, r.body)
		}
	}
	if !strings.Contains(contentSecurityPolicy, "script-src 'self';") || strings.Contains(contentSecurityPolicy, "unsafe") {
		t.Errorf("CSP %q allows inline code", contentSecurityPolicy)
	}
}
