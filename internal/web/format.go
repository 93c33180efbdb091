package web

import (
	"strconv"
	"strings"
	"time"
)

// Vietnamese conventions: day/month/year, "." between thousands, "," before
// decimals.

const noDate = "không rõ ngày"

// day formats t as 26/06/2024 in loc; a zero time is an unknown date.
func day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return noDate
	}
	return t.In(loc).Format("02/01/2006")
}

// dayTime is day plus the time of day, when the source gave one.
func dayTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return noDate
	}
	t = t.In(loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("02/01/2006")
	}
	return t.Format("15:04, 02/01/2006")
}

// count formats n with dots between thousands: 12.345.
func count(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// seconds formats a duration as "0,012 giây".
func seconds(d time.Duration) string {
	return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', 3, 64), ".", ",", 1) + " giây"
}

// periodLabel shows a date parameter (YYYY, YYYY-MM or YYYY-MM-DD) the way
// Vietnamese readers write it: 2024, 06/2024, 26/06/2024.
func periodLabel(p string) string {
	parts := strings.Split(p, "-")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

// dateFilterLabel describes the from/to filter of a search.
func dateFilterLabel(from, to string) string {
	switch {
	case from != "" && from == to:
		switch len(from) {
		case len("2006"):
			return "Năm " + from
		case len("2006-01"):
			return "Tháng " + periodLabel(from)
		}
		return "Ngày " + periodLabel(from)
	case from != "" && to != "":
		return "Từ " + periodLabel(from) + " đến " + periodLabel(to)
	case from != "":
		return "Từ " + periodLabel(from)
	}
	return "Đến " + periodLabel(to)
}
