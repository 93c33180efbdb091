package web

import (
	"errors"
	"net/http"
	"net/url"

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

// dateForm is the from/to filter form; Hidden keeps the rest of the search.
type dateForm struct {
	From, To string
	Hidden   []param
}
