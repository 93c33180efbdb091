package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kho/index"
	"kho/internal/request"
)

// searchPage is what the search template shows.
type searchPage struct {
	layout
	Problem    *problem // a parameter that cannot be used (400)
	Empty      bool     // the archive has no articles at all
	NoHits     bool     // the search found nothing
	PastEnd    bool     // a page after the last one
	Tips       bool     // how to search, on the page that lists the whole archive
	Summary    string   // "Tìm thấy 1.234 kết quả"
	Took       string
	Suggestion *link
	Sorts      []link
	Chips      []link // active filters; each link removes its filter
	ClearAll   string // removes every filter, when there are several
	Years      []bar
	Months     []bar
	MonthsOf   string // the year the months belong to, when only one
	Categories []facet
	Sources    []facet
	Hits       []hitView
	Start      int // the rank of the first hit, for <ol start>
	Pager      pager
	Dates      dateForm
}

// problem explains a bad parameter: in Vietnamese, then precisely.
type problem struct {
	Param, Help, Detail string
}

// link is a labelled href; Current marks the one being shown.
type link struct {
	Label, Href string
	Current     bool
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	st := stateOf(v)
	req, err := request.ParseSearch(v, s.engine.Location(), trackingParams(v)...)
	if err != nil {
		var re *request.Error
		if !errors.As(err, &re) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusBadRequest, "search", badSearchPage(st, re))
		return
	}
	res, err := s.engine.Search(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "search", s.searchPage(st, req, res))
}

func trackingParams(v url.Values) []string {
	var names []string
	for name := range v {
		if isTracking(name) {
			names = append(names, name)
		}
	}
	return names
}

// badSearchPage keeps the search box as typed but drops the bad parameter
// from the rest of the state, so the next search does not fail again.
func badSearchPage(st state, re *request.Error) searchPage {
	if re.Param != "q" {
		st = st.set(re.Param)
	}
	return searchPage{
		layout:  searchLayout(st),
		Problem: &problem{Param: re.Param, Help: paramHelp(re), Detail: re.Msg},
	}
}

// paramHelp says in Vietnamese what a parameter expects; the page adds the
// request package's precise message as the detail.
func paramHelp(re *request.Error) string {
	switch {
	case re.Code == request.CodeUnknownParameter:
		return "Trang tìm kiếm không dùng tham số này."
	case re.Code == request.CodeBadQuery:
		return "Câu tìm kiếm chưa đúng cú pháp: kiểm tra lại dấu ngoặc kép và dấu trừ."
	}
	switch re.Param {
	case "q":
		return "Câu tìm kiếm quá dài hoặc có quá nhiều từ."
	case "from", "to":
		return "Ngày phải viết dạng 2024, 2024-06 hoặc 2024-06-26, và ngày bắt đầu không được sau ngày kết thúc."
	case "sort":
		return "Cách sắp xếp phải là relevance, newest hoặc oldest."
	case "page":
		return "Số trang phải là số nguyên dương, trong phạm vi 10.000 kết quả đầu tiên."
	case "size":
		return "Số kết quả mỗi trang phải từ 1 đến 100."
	}
	return "Giá trị bộ lọc quá dài, hoặc có quá nhiều giá trị."
}

func searchLayout(st state) layout {
	title := "Kho – Tra cứu lưu trữ báo chí"
	if q := st.get("q"); q != "" {
		title = q + " – Tìm kiếm – Kho"
	}
	return layout{Title: title, Query: st.get("q"), Hidden: st.hidden("q"), Autofocus: true}
}

func (s *Server) searchPage(st state, req index.SearchRequest, res *index.SearchResult) searchPage {
	filtered := hasFilters(st)
	p := searchPage{
		layout:     searchLayout(st),
		Empty:      res.Total == 0 && req.Query == nil && !filtered,
		Took:       seconds(res.Took),
		Sorts:      sortLinks(st, req.Sort, req.Query != nil),
		Categories: facets(st, "category", res.Facets.Categories),
		Sources:    facets(st, "source", res.Facets.Sources),
		Start:      (req.Page-1)*req.Size + 1,
		Pager:      newPager(st, req.Page, req.Size, res.Total),
		Dates:      dateForm{From: st.get("from"), To: st.get("to"), Hidden: st.hidden("from", "to")},
	}
	p.NoHits = res.Total == 0 && !p.Empty
	p.PastEnd = res.Total > 0 && len(res.Hits) == 0
	switch {
	case req.Query != nil || filtered:
		p.Summary = "Tìm thấy " + count(res.Total) + " kết quả"
	default:
		p.Summary = "Kho có " + count(res.Total) + " bài viết"
		p.Tips = true
	}
	if res.Suggestion != "" {
		p.Suggestion = &link{Label: res.Suggestion, Href: st.set("q", res.Suggestion).href()}
	}
	p.Chips, p.ClearAll = chips(st)
	p.Years, p.Months, p.MonthsOf = dateBars(st, res.Facets)
	loc := s.engine.Location()
	back := st.page(req.Page)
	for _, h := range res.Hits {
		p.Hits = append(p.Hits, newHitView(h, back, loc))
	}
	return p
}

// filterParams are the parameters that narrow a search (not q, sort or paging).
var filterParams = []struct{ name, label string }{
	{"source", "Nguồn"}, {"category", "Chuyên mục"}, {"author", "Tác giả"}, {"tag", "Từ khóa"},
}

func hasFilters(st state) bool {
	if st.get("from") != "" || st.get("to") != "" {
		return true
	}
	for _, f := range filterParams {
		if len(st[f.name]) > 0 {
			return true
		}
	}
	return false
}

// chips are the active filters, each a link that removes it, and a link
// that removes them all when there is more than one.
func chips(st state) (cs []link, clearAll string) {
	if from, to := st.get("from"), st.get("to"); from != "" || to != "" {
		cs = append(cs, link{Label: dateFilterLabel(from, to), Href: st.set("from").set("to").href()})
	}
	clear := st.set("from").set("to")
	for _, f := range filterParams {
		for _, v := range st[f.name] {
			cs = append(cs, link{Label: f.label + ": " + v, Href: st.remove(f.name, v).href()})
		}
		clear = clear.set(f.name)
	}
	if len(cs) > 1 {
		clearAll = clear.href()
	}
	return cs, clearAll
}

// sortLinks offer the three orders; without a query there is nothing to
// rank by, the engine lists the newest first, and so does the page.
func sortLinks(st state, current index.Sort, hasQuery bool) []link {
	if !hasQuery {
		return []link{
			{"Mới nhất", st.set("sort").href(), current != index.SortOldest},
			{"Cũ nhất", st.set("sort", "oldest").href(), current == index.SortOldest},
		}
	}
	return []link{
		{"Liên quan nhất", st.set("sort").href(), current == index.SortRelevance},
		{"Mới nhất", st.set("sort", "newest").href(), current == index.SortNewest},
		{"Cũ nhất", st.set("sort", "oldest").href(), current == index.SortOldest},
	}
}

// facet is one value of a term facet: a link that adds it to the search or,
// when it is already a filter, removes it.
type facet struct {
	Label, Count, Href string
	Active             bool
}

func facets(st state, name string, buckets []index.Bucket) []facet {
	fs := make([]facet, 0, len(buckets))
	for _, b := range buckets {
		f := facet{Label: b.Key, Count: count(uint64(b.Count)), Href: st.add(name, b.Key).href()}
		for _, v := range st[name] {
			if v == b.Key {
				f.Active, f.Href = true, st.remove(name, v).href()
			}
		}
		fs = append(fs, f)
	}
	return fs
}

// dateForm is the from/to filter form; Hidden keeps the rest of the search.
type dateForm struct {
	From, To string
	Hidden   []param
}

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
