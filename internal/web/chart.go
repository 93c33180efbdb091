package web

import (
	"strconv"
	"strings"

	"kho/index"
)

// bar is one period of the date chart: an SVG bar whose height is a rect
// attribute (the CSP forbids inline styles), its count as text, and a link
// that narrows the search to the period.
type bar struct {
	Label   string // 2024, T6
	Title   string // "Năm 2024: 1.234 bài viết", on hover and for screen readers
	Count   string
	Href    string // "" when the period has no articles
	Height  int    // out of 100
	Y       int    // 100 - Height: where the bar starts in the SVG
	Current bool   // the period the search is narrowed to
}

// dateBars draws the year facet and, when the engine gives them, the months;
// monthsOf is the year of the months when they all fall in one.
func dateBars(st state, f index.Facets) (years, months []bar, monthsOf string) {
	years = bars(st, f.Years, func(key string) (label, title string) {
		return key, "Năm " + key
	})
	if len(f.Months) > 0 {
		first, last := f.Months[0].Key, f.Months[len(f.Months)-1].Key
		if len(first) >= 4 && first[:4] == last[:4] {
			monthsOf = first[:4]
		}
	}
	months = bars(st, f.Months, func(key string) (label, title string) {
		y, m, ok := strings.Cut(key, "-")
		if !ok {
			return key, key
		}
		n, _ := strconv.Atoi(m)
		title = "Tháng " + strconv.Itoa(n) + "/" + y
		if monthsOf != "" {
			return "T" + strconv.Itoa(n), title
		}
		return strconv.Itoa(n) + "/" + y[len(y)-2:], title
	})
	return years, months, monthsOf
}

func bars(st state, buckets []index.Bucket, names func(key string) (label, title string)) []bar {
	top := 0
	for _, b := range buckets {
		top = max(top, b.Count)
	}
	from, to := st.get("from"), st.get("to")
	out := make([]bar, 0, len(buckets))
	for _, b := range buckets {
		label, title := names(b.Key)
		v := bar{
			Label:   label,
			Title:   title + ": " + count(uint64(b.Count)) + " bài viết",
			Count:   count(uint64(b.Count)),
			Current: strings.HasPrefix(from, b.Key) && strings.HasPrefix(to, b.Key),
		}
		if b.Count > 0 {
			v.Href = st.set("from", b.Key).set("to", b.Key).href()
			v.Height = max(2, (b.Count*100+top-1)/top) // a lone article still shows
		}
		v.Y = 100 - v.Height
		out = append(out, v)
	}
	return out
}
