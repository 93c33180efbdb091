package web

import "kho/index"

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
