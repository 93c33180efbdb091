package ingest

import (
	"bytes"
	"io"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// decodeHTMLPage reads an HTML article page: one article per file.
func decodeHTMLPage(r io.Reader, file string, emit emitFunc) error {
	b, err := readPage(r)
	if err != nil {
		if err == ErrPageTooLarge || err == ErrBinary {
			emit(Record{File: file, Line: 1}, err)
			return nil
		}
		return &LineError{Line: 1, Err: err}
	}
	b = toUTF8(b)
	rec, err := ParseHTMLPage(b)
	if err != nil {
		emit(Record{File: file, Line: 1}, err)
		return nil
	}
	rec.File, rec.Line = file, 1
	rec.InvalidUTF8 = !utf8.Valid(b)
	emit(rec, nil)
	return nil
}

// toUTF8 converts a page that is not UTF-8 from the charset it declares
// (old Vietnamese sites use windows-1258); a UTF-8 page is returned as is.
func toUTF8(page []byte) []byte {
	if utf8.Valid(page) {
		return page
	}
	enc, name, _ := charset.DetermineEncoding(page, "text/html")
	if name == "utf-8" {
		return page
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return page
	}
	return out
}

// ParseHTMLPage extracts an article from an HTML page: the title from
// og:title or the first <h1>, the date from article:published_time, a
// <time> element or a date line, the body from the article's paragraphs.
// Navigation, scripts, ads and related-link blocks are dropped; the
// headlines of related-link blocks go to the reading list.
func ParseHTMLPage(page []byte) (Record, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return Record{}, err
	}
	p := &htmlPage{meta: map[string][]string{}}
	p.scanHead(doc)
	root := articleRoot(doc)
	p.walk(root, false)
	return p.record(), nil
}

type htmlPage struct {
	meta                  map[string][]string // meta property/name/itemprop → content
	title, h1, canonical  string
	timeAttr, dateLine    string
	summary, author       string
	paras, captions, list []string
}

func (p *htmlPage) record() Record {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := p.meta[k]; len(v) > 0 && strings.TrimSpace(v[0]) != "" {
				return strings.TrimSpace(v[0])
			}
		}
		return ""
	}
	rec := Record{
		Title:       firstNonEmpty(first("og:title", "twitter:title"), p.h1, p.title),
		URL:         firstNonEmpty(p.canonical, first("og:url")),
		Summary:     firstNonEmpty(p.summary, first("og:description", "description", "twitter:description")),
		Author:      firstNonEmpty(first("author", "article:author", "dc.creator"), p.author),
		Category:    first("article:section"),
		Published:   firstNonEmpty(first("article:published_time", "datepublished", "pubdate", "publishdate", "dc.date.issued", "date"), p.timeAttr, p.dateLine),
		Body:        strings.Join(p.paras, "\n\n"),
		Captions:    p.captions,
		ReadingList: p.list,
	}
	rec.Tags = p.meta["article:tag"]
	if len(rec.Tags) == 0 {
		if kw := first("news_keywords", "keywords"); kw != "" {
			rec.Tags = jsonValue{items: []string{kw}}.list()
		}
	}
	if u, err := url.Parse(rec.URL); err != nil || !u.IsAbs() {
		rec.URL = "" // a relative canonical link names no page
	}
	return rec
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// scanHead collects meta tags, the canonical link, <title> and the first <h1>.
func (p *htmlPage) scanHead(n *html.Node) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Meta:
			key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
			if key != "" {
				p.meta[key] = append(p.meta[key], attr(n, "content"))
			}
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") && p.canonical == "" {
				p.canonical = attr(n, "href")
			}
		case atom.Title:
			if p.title == "" {
				p.title = textOf(n)
			}
		case atom.H1:
			if p.h1 == "" && !inside(n, atom.Nav, atom.Footer, atom.Aside) {
				p.h1 = textOf(n)
			}
		case atom.Time:
			if p.timeAttr == "" {
				p.timeAttr = firstNonEmpty(attr(n, "datetime"), textOf(n))
			}
		case atom.Script, atom.Style:
			return
		}
		if p.dateLine == "" && reDateClass.MatchString(attr(n, "class")+" "+attr(n, "id")) {
			if t := textOf(n); len(t) < 100 && isDateLine(t) {
				p.dateLine = t
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.scanHead(c)
	}
}

var (
	// Blocks that are never the article: by tag, or by class or id.
	droppedAtoms = map[atom.Atom]bool{
		atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Header: true,
		atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Iframe: true, atom.Svg: true,
		atom.Button: true, atom.Select: true, atom.Template: true, atom.Object: true, atom.Embed: true,
	}
	reDroppedClass = regexp.MustCompile(`(?i)advert|\bads?\b|ads-|-ads|banner|quang-?cao|qc-|share|social|comment|breadcrumb|\bmenu|sidebar|footer|\bnav|newsletter|popup|cookie|\btags?\b|\bhidden\b`)
	reRelatedClass = regexp.MustCompile(`(?i)relat|lien-?quan|tin-?khac|xem-?them|doc-?them|cung-?chuyen-?muc|more-?news|read-?more|recommend`)
	reCaptionClass = regexp.MustCompile(`(?i)caption|\bimage\b`)
	reSummaryClass = regexp.MustCompile(`(?i)sapo|\blead\b|summary|description|chapeau|excerpt`)
	reAuthorClass  = regexp.MustCompile(`(?i)author|byline`)
	reDateClass    = regexp.MustCompile(`(?i)date|time|publish`)
)

// dropped reports whether n is (inside) a block that is never article text.
func dropped(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && (droppedAtoms[n.DataAtom] || reDroppedClass.MatchString(attr(n, "class")+" "+attr(n, "id"))) {
			return true
		}
	}
	return false
}

func inside(n *html.Node, atoms ...atom.Atom) bool {
	for ; n != nil; n = n.Parent {
		for _, a := range atoms {
			if n.DataAtom == a {
				return true
			}
		}
	}
	return false
}

// articleRoot picks the element holding the story: <article> or
// itemprop=articleBody when the page has one, else the element whose own
// paragraphs hold the most text.
func articleRoot(doc *html.Node) *html.Node {
	var marked, best *html.Node
	bestScore := 0
	score := map[*html.Node]int{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if droppedAtoms[n.DataAtom] {
				return
			}
			if marked == nil && (strings.EqualFold(attr(n, "itemprop"), "articleBody") || n.DataAtom == atom.Article) {
				marked = n
			}
			if n.DataAtom == atom.P && n.Parent != nil && !dropped(n) {
				score[n.Parent] += len(textOf(n))
				if score[n.Parent] > bestScore {
					best, bestScore = n.Parent, score[n.Parent]
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	switch {
	case marked != nil:
		return marked
	case best != nil:
		return best
	}
	return doc
}

// walk collects the story's paragraphs, captions, sapo and byline under n,
// and the headlines of related-link blocks. inList is true inside a reading
// list (after a "Tin liên quan" heading or in a related block).
func (p *htmlPage) walk(n *html.Node, inList bool) {
	if n.Type != html.ElementNode && n.Type != html.DocumentNode {
		return
	}
	if n.Type == html.ElementNode {
		class := attr(n, "class") + " " + attr(n, "id")
		switch {
		case reRelatedClass.MatchString(class):
			p.list = append(p.list, linkTexts(n)...)
			return
		case droppedAtoms[n.DataAtom] || reDroppedClass.MatchString(class):
			return
		case inList:
			p.list = append(p.list, linkTexts(n)...)
			return
		case n.DataAtom == atom.Figcaption || reCaptionClass.MatchString(class):
			if t := textOf(n); t != "" {
				p.captions = append(p.captions, t)
			}
			return
		case n.DataAtom == atom.H1 || n.DataAtom == atom.Time:
			return // the title and the date, read by scanHead
		case reSummaryClass.MatchString(class) && p.summary == "":
			p.summary = textOf(n)
			return
		case reAuthorClass.MatchString(class):
			if p.author == "" {
				p.author = textOf(n)
			}
			return
		case reDateClass.MatchString(class) && isDateLine(textOf(n)):
			return
		case isBlockText(n):
			if t := textOf(n); t != "" {
				p.paras = append(p.paras, t)
			}
			return
		}
	}
	listMode := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && len(p.paras) > 0 && isReadingListHeading(textOf(c)) {
			listMode = true // the siblings after "Tin liên quan" are other stories
			continue
		}
		p.walk(c, listMode)
	}
}

// isBlockText reports whether n is a paragraph-like element: a <p>, a
// subheading, a quote, or a <div> that holds text directly.
func isBlockText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.H2, atom.H3, atom.H4, atom.Blockquote, atom.Li, atom.Pre:
		return true
	case atom.Div, atom.Section, atom.Td:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
				return true
			}
		}
	}
	return false
}

// linkTexts are the texts of a block's links, or its text when it has none.
func linkTexts(n *html.Node) []string {
	var out []string
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if t := textOf(n); t != "" && !isReadingListHeading(t) {
				out = append(out, t)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	if len(out) == 0 {
		if t := textOf(n); t != "" && !isReadingListHeading(t) {
			out = append(out, t)
		}
	}
	return out
}

// textOf is the text under n with white space collapsed; <br> is a space.
func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
