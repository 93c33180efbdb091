package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// searchParams are the parameters of a search: exactly those of GET
// /api/search, so a page URL and an API URL describe the same search.
var searchParams = []string{"q", "from", "to", "source", "category", "author", "tag", "sort", "page", "size"}

// isTracking tells the parameters that link-sharing sites append (fbclid,
// utm_source…): a shared search must not turn into an error page because of
// them, so they are ignored and dropped from every link.
func isTracking(name string) bool {
	return name == "fbclid" || name == "gclid" || strings.HasPrefix(name, "utm_")
}

// state is the search a page shows, as URL parameters. Every link on a page
// is this state with one change, so any view can be bookmarked and shared,
// and the back button walks through them.
type state url.Values

// stateOf keeps the search parameters of v, without empty values.
func stateOf(v url.Values) state {
	s := state{}
	for _, name := range searchParams {
		for _, val := range v[name] {
			if strings.TrimSpace(val) != "" {
				s[name] = append(s[name], val)
			}
		}
	}
	return s
}

func (s state) get(name string) string {
	if vs := s[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// clone copies s without the page: a changed search starts at page 1.
func (s state) clone() state {
	c := make(state, len(s))
	for k, v := range s {
		if k != "page" {
			c[k] = slices.Clone(v)
		}
	}
	return c
}

// set returns s with name set to vals (none removes it), at page 1.
func (s state) set(name string, vals ...string) state {
	c := s.clone()
	if len(vals) == 0 {
		delete(c, name)
	} else {
		c[name] = vals
	}
	return c
}

// add returns s with one more value of a filter, at page 1.
func (s state) add(name, val string) state {
	c := s.clone()
	if !slices.Contains(c[name], val) {
		c[name] = append(c[name], val)
	}
	return c
}

// remove returns s without one value of a filter, at page 1.
func (s state) remove(name, val string) state {
	c := s.clone()
	c[name] = slices.DeleteFunc(c[name], func(v string) bool { return v == val })
	if len(c[name]) == 0 {
		delete(c, name)
	}
	return c
}

// page returns s showing page n.
func (s state) page(n int) state {
	c := s.clone()
	if n > 1 {
		c["page"] = []string{strconv.Itoa(n)}
	}
	return c
}

// query is the encoded parameters, "" for none.
func (s state) query() string { return url.Values(s).Encode() }

// href is the search page showing s.
func (s state) href() string {
	if q := s.query(); q != "" {
		return "/?" + q
	}
	return "/"
}

// hidden lists the parameters a form must carry as hidden inputs to keep
// the rest of the state, all but the ones the form has fields for.
func (s state) hidden(except ...string) []param {
	var ps []param
	for _, name := range searchParams {
		if name == "page" || slices.Contains(except, name) {
			continue
		}
		for _, v := range s[name] {
			ps = append(ps, param{name, v})
		}
	}
	return ps
}

// param is one name=value pair, for hidden form inputs.
type param struct{ Name, Value string }
