package web

import "kho/internal/request"

// pager links the pages of a result: previous, next, the first and last
// pages and a few around the current one.
type pager struct {
	Prev, Next string
	Pages      []pageLink
}

type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool // stands for the pages left out
}

// pagerSpan is how many pages are linked on each side of the current one.
const pagerSpan = 2

func newPager(st state, page, size int, total uint64) pager {
	last := int(min(total, request.MaxResults)+uint64(size)-1) / size
	if last <= 1 {
		return pager{}
	}
	var p pager
	if page > 1 {
		p.Prev = st.page(min(page-1, last)).href()
	}
	if page < last {
		p.Next = st.page(page + 1).href()
	}
	for n := 1; n <= last; n++ {
		near := n >= page-pagerSpan && n <= page+pagerSpan
		// A gap that would hide a single page shows that page instead.
		lone := (n == 2 && page-pagerSpan == 3) || (n == last-1 && page+pagerSpan == last-2)
		switch {
		case n == 1 || n == last || near || lone:
			p.Pages = append(p.Pages, pageLink{N: n, Href: st.page(n).href(), Current: n == page})
		case len(p.Pages) > 0 && !p.Pages[len(p.Pages)-1].Gap:
			p.Pages = append(p.Pages, pageLink{Gap: true})
		}
	}
	return p
}
