package index

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// facets turns bleve's term facets into kho's: years chronological and
// zero-filled; months likewise, when the result spans at most monthLimit
// months or the request selects one year; categories and sources by count.
// Years are added up from months: every dated article has both, and each
// facet bleve counts costs a lookup per matching article.
func facets(fr search.FacetResults, req SearchRequest) Facets {
	var f Facets
	months := counts(fr[facetMonths])
	years := map[string]int{}
	for m, n := range months {
		if y, _, ok := strings.Cut(m, "-"); ok {
			years[y] += n
		}
	}
	if first, last, ok := yearSpan(years); ok {
		for y := first; y <= last; y++ {
			key := strconv.Itoa(y)
			f.Years = append(f.Years, Bucket{key, years[key]})
		}
	}
	f.Months = monthBuckets(months, req)
	f.Categories = byCount(fr[facetCategories])
	f.Sources = byCount(fr[facetSources])
	return f
}

func counts(r *search.FacetResult) map[string]int {
	m := map[string]int{}
	if r == nil {
		return m
	}
	for _, t := range r.Terms.Terms() {
		m[t.Term] = t.Count
	}
	return m
}

func yearSpan(years map[string]int) (first, last int, ok bool) {
	for k := range years {
		y, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		if !ok || y < first {
			first = y
		}
		if !ok || y > last {
			last = y
		}
		ok = true
	}
	return first, last, ok
}

// monthBuckets zero-fills months between the first and last with hits, or
// every month of the one year the request selects.
func monthBuckets(months map[string]int, req SearchRequest) []Bucket {
	var first, last time.Time
	for k := range months {
		t, err := time.Parse("2006-01", k)
		if err != nil {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if last.IsZero() || t.After(last) {
			last = t
		}
	}
	if y, ok := selectedYear(req); ok {
		first = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		last = time.Date(y, 12, 1, 0, 0, 0, 0, time.UTC)
	}
	if first.IsZero() || monthsBetween(first, last) >= monthLimit {
		return nil
	}
	var out []Bucket
	for t := first; !t.After(last); t = t.AddDate(0, 1, 0) {
		key := t.Format("2006-01")
		out = append(out, Bucket{key, months[key]})
	}
	return out
}

// selectedYear reports the year when the date filter lies within one year.
func selectedYear(req SearchRequest) (int, bool) {
	if req.From.IsZero() || req.To.IsZero() {
		return 0, false
	}
	if req.From.Year() != req.To.Year() {
		return 0, false
	}
	return req.From.Year(), true
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

func byCount(r *search.FacetResult) []Bucket {
	if r == nil {
		return nil
	}
	terms := r.Terms.Terms()
	out := make([]Bucket, 0, len(terms))
	for _, t := range terms {
		out = append(out, Bucket{t.Term, t.Count})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if len(out) > topTerms {
		out = out[:topTerms]
	}
	return out
}
