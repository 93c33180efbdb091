package index

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// facetSep joins the parts of a facet term; Clean removes control
// characters from every field at ingest, so no value contains it.
const facetSep = "\x1f"

// facetTerm is the one term that carries an article's month ("" when
// undated), category and source. bleve counts a facet by looking up each
// matching article's value of its field, and on large results these lookups
// cost more than the search: one field instead of three saves two thirds.
func facetTerm(month, category, source string) string {
	return month + facetSep + category + facetSep + source
}

// facets turns the counts of a result into kho's facets: years
// chronological and zero-filled; months likewise, when the result spans at
// most monthLimit months or the request selects one year; the topTerms
// largest categories and sources by count.
func facets(t facetTally, req SearchRequest) Facets {
	months := t.months
	years := map[string]int{}
	for m, n := range months {
		if y, _, ok := strings.Cut(m, "-"); ok {
			years[y] += n
		}
	}
	var f Facets
	if first, last, ok := yearSpan(years); ok {
		for y := first; y <= last; y++ {
			key := strconv.Itoa(y)
			f.Years = append(f.Years, Bucket{key, years[key]})
		}
	}
	f.Months = monthBuckets(months, req)
	f.Categories = byCount(t.categories)
	f.Sources = byCount(t.sources)
	return f
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

// byCount lists the topTerms largest counts, largest first, ties by key.
func byCount(counts map[string]int) []Bucket {
	if len(counts) == 0 {
		return nil
	}
	out := make([]Bucket, 0, len(counts))
	for k, n := range counts {
		out = append(out, Bucket{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out[:min(len(out), topTerms)]
}
