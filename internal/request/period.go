package request

import (
	"fmt"
	"strconv"
	"time"
)

// Years outside these bounds are typing mistakes, not archive dates.
const (
	minYear = 1900
	maxYear = 2200
)

// Period parses a date written YYYY, YYYY-MM or YYYY-MM-DD and returns the
// first and the last instant of that year, month or day in loc (nil means
// UTC). end is the start of the next period minus a nanosecond, so both
// bounds are inclusive, like index.SearchRequest's From and To.
func Period(s string, loc *time.Location) (start, end time.Time, err error) {
	if loc == nil {
		loc = time.UTC
	}
	parts, err := splitDate(s)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	year, month, day := parts[0], 1, 1
	if year < minYear || year > maxYear {
		return time.Time{}, time.Time{}, fmt.Errorf("year %d is outside %d–%d", year, minYear, maxYear)
	}
	if len(parts) > 1 {
		month = parts[1]
		if month < 1 || month > 12 {
			return time.Time{}, time.Time{}, fmt.Errorf("%d has no month %02d", year, month)
		}
	}
	if len(parts) > 2 {
		day = parts[2]
		if days := daysIn(year, month); day < 1 || day > days {
			return time.Time{}, time.Time{}, fmt.Errorf("%d-%02d has no day %02d", year, month, day)
		}
	}
	var dy, dm, dd int // the length of the period s names
	switch len(parts) {
	case 1:
		dy = 1
	case 2:
		dm = 1
	case 3:
		dd = 1
	}
	start = time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc)
	next := time.Date(year+dy, time.Month(month+dm), day+dd, 0, 0, 0, 0, loc)
	return start, next.Add(-time.Nanosecond), nil
}

// splitDate reads the numbers of YYYY, YYYY-MM or YYYY-MM-DD.
func splitDate(s string) ([]int, error) {
	bad := fmt.Errorf("want YYYY, YYYY-MM or YYYY-MM-DD, got %q", s)
	var parts []int
	for i, width := range []int{4, 2, 2} {
		if i > 0 {
			if s == "" {
				break
			}
			if s[0] != '-' {
				return nil, bad
			}
			s = s[1:]
		}
		if len(s) < width || !allDigits(s[:width]) {
			return nil, bad
		}
		n, _ := strconv.Atoi(s[:width])
		parts = append(parts, n)
		s = s[width:]
	}
	if s != "" {
		return nil, bad
	}
	return parts, nil
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
