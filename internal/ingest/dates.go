package ingest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrDateFormat is returned for a date string in no form kho knows.
var ErrDateFormat = errors.New("unrecognized date")

// Dates earlier than this or later than two days after the run are typos or
// placeholders (0001-01-01, 2099-12-31): kho treats them as unknown.
var earliestDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

const futureSlack = 48 * time.Hour

// dateInRange reports whether t is a plausible publication date at now.
func dateInRange(t, now time.Time) bool {
	return !t.Before(earliestDate) && !t.After(now.Add(futureSlack))
}

// layoutsWithZone carry their own offset; layoutsLocal are read in the
// archive's zone.
var (
	layoutsWithZone = []string{
		time.RFC3339Nano,
		"2006-01-02T15:04Z07:00",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 Z07:00",
		time.RFC1123Z,
		time.RFC1123,
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		time.RFC822Z,
		time.RFC822,
	}
	layoutsLocal = []string{
		"2006-01-02",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02T15:04",
		"20060102",
		"20060102150405",
		"2006/01/02",
		"2006/01/02 15:04:05",
		"2006/01/02 15:04",
	}
)

// ParseDate reads a publication date in any form kho knows: RFC 3339, RFC
// 1123 (RSS pubDate), ISO dates with or without a time, 20060102, Unix seconds
// or milliseconds, and Vietnamese day-first forms ("26/6/2024",
// "26/06/2024 10:30", "Thứ tư, 26/6/2024, 10:30 (GMT+7)", "ngày 26 tháng 6 năm
// 2024"). A form without a zone is read in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty", ErrDateFormat)
	}
	if t, ok := parseUnix(s, loc); ok {
		return t, nil
	}
	for _, l := range layoutsWithZone {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range layoutsLocal {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	if t, ok := parseVietnamese(s, loc); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: %q", ErrDateFormat, truncate(s, 60))
}

// parseUnix reads 9–10 digits as seconds and 12–13 digits as milliseconds
// since 1970. Eight digits are a date (20060102), not seconds.
func parseUnix(s string, loc *time.Location) (time.Time, bool) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	switch len(digits) {
	case 9, 10:
		return time.Unix(n, 0).In(loc), true
	case 12, 13:
		return time.UnixMilli(n).In(loc), true
	}
	return time.Time{}, false
}

var (
	// 26/6/2024, 26-06-2024, 26.06.2024
	reDMY = regexp.MustCompile(`(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})`)
	// ngày 26 tháng 6 năm 2024
	reDMYWords = regexp.MustCompile(`(?i)(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,\s*|\s+)năm\s+(\d{4})`)
	// 10:30, 10:30:15, 10h30, 10 giờ 30
	reClock = regexp.MustCompile(`(?i)(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*:\s*(\d{2}))?`)
	// GMT+7, (GMT+07:00), UTC+7
	reZone = regexp.MustCompile(`(?i)(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?`)
	// What may surround a Vietnamese date in a date line: weekdays, "lúc",
	// "ngày", "cập nhật", punctuation.
	reDateNoise = regexp.MustCompile(`(?i)thứ\s+(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s+nhật|cập\s+nhật|đăng\s+lúc|đăng\s+ngày|lúc|ngày|giờ|sáng|chiều|tối|trưa|[\s,;()|:-]`)
)

// parseVietnamese reads a string that is only a Vietnamese date line: a
// day-first date, optionally a weekday, a clock time and a GMT offset.
func parseVietnamese(s string, loc *time.Location) (time.Time, bool) {
	rest := s
	var day, month, year int
	if m := reDMYWords.FindStringSubmatchIndex(rest); m != nil {
		day, month, year = atoi(rest[m[2]:m[3]]), atoi(rest[m[4]:m[5]]), atoi(rest[m[6]:m[7]])
		rest = rest[:m[0]] + " " + rest[m[1]:]
	} else if m := reDMY.FindStringSubmatchIndex(rest); m != nil {
		day, month, year = atoi(rest[m[2]:m[3]]), atoi(rest[m[4]:m[5]]), atoi(rest[m[6]:m[7]])
		rest = rest[:m[0]] + " " + rest[m[1]:]
	} else {
		return time.Time{}, false
	}
	hour, minute, sec := 0, 0, 0
	if m := reClock.FindStringSubmatchIndex(rest); m != nil {
		hour, minute = atoi(rest[m[2]:m[3]]), atoi(rest[m[4]:m[5]])
		if m[6] >= 0 {
			sec = atoi(rest[m[6]:m[7]])
		}
		if hour > 23 || minute > 59 || sec > 59 {
			return time.Time{}, false
		}
		rest = rest[:m[0]] + " " + rest[m[1]:]
	}
	zone := loc
	if m := reZone.FindStringSubmatchIndex(rest); m != nil {
		offset := atoi(rest[m[4]:m[5]]) * 3600
		if m[6] >= 0 {
			offset += atoi(rest[m[6]:m[7]]) * 60
		}
		if rest[m[2]:m[3]] == "-" {
			offset = -offset
		}
		zone = time.FixedZone(strings.TrimSpace(rest[m[0]:m[1]]), offset)
		rest = rest[:m[0]] + " " + rest[m[1]:]
	}
	if strings.TrimSpace(reDateNoise.ReplaceAllString(rest, "")) != "" {
		return time.Time{}, false // other words: not a date line
	}
	return makeDate(year, month, day, hour, minute, sec, zone)
}

// makeDate builds a date, refusing ones time.Date would silently roll over
// (31/2 is not 3 March).
func makeDate(year, month, day, hour, minute, sec int, loc *time.Location) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false
	}
	return t, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

var (
	// The lead may open with a dateline: "TTO - ", "(Dân trí) - ", "HÀ NỘI –".
	reDateline = regexp.MustCompile(`^[^.!?\n]{1,40}?\s[-–—]\s+`)
	// "Ngày 26/6", "Sáng nay (26/6/2024)", "Chiều 5-3", "Tối thứ bảy, 26/6".
	reLeadDate      = regexp.MustCompile(`(?i)^(?:ngày|sáng|trưa|chiều|tối|đêm|rạng\s+sáng|hôm\s+nay)(?:\s+nay)?\s*(?:\(\s*)?(?:(?:thứ\s+\S+|chủ\s+nhật)\s*,?\s*)?(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?`)
	reLeadDateWords = regexp.MustCompile(`(?i)^ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*,?\s*năm\s+(\d{4}))?`)
	// "năm 2024", with the word before it and a range after it ("2016-2017").
	reYearWord = regexp.MustCompile(`(?i)(\p{L}+\s+)?năm\s+(\d{4})(\s*[-–]\s*\d{4})?`)
)

// InferDate finds the date an article's lead states for itself: a lead that
// opens (after an optional dateline) with "Ngày 26/6", "Sáng 26/6/2024" or
// "Ngày 26 tháng 6", taking the year from the date or from "năm 2024" in the
// same sentence. Dates elsewhere in the lead are about other events and are
// ignored; without a year nothing is inferred.
func InferDate(lead string, loc *time.Location) (time.Time, bool) {
	lead = strings.TrimSpace(lead)
	if m := reDateline.FindStringIndex(lead); m != nil {
		if _, ok := leadDate(lead[m[1]:], loc); ok {
			lead = lead[m[1]:]
		}
	}
	return leadDate(lead, loc)
}

func leadDate(s string, loc *time.Location) (time.Time, bool) {
	m := reLeadDateWords.FindStringSubmatch(s)
	if m == nil {
		m = reLeadDate.FindStringSubmatch(s)
	}
	if m == nil {
		return time.Time{}, false
	}
	year := m[3]
	if year == "" {
		if year = yearOfSentence(firstSentence(s[len(m[0]):])); year == "" {
			return time.Time{}, false
		}
	}
	return makeDate(atoi(year), atoi(m[2]), atoi(m[1]), 0, 0, 0, loc)
}

// notPublicationYear are words before "năm 2024" that make it some other
// year: a birth year, a target, a period ("sinh năm 1990", "đến năm 2030").
var notPublicationYear = map[string]bool{
	"sinh": true, "đến": true, "tới": true, "từ": true, "trước": true, "sau": true, "đoạn": true,
	"nhìn": true, "hoạch": true, "kết": true, "kỳ": true, "khóa": true, "khoá": true, "hồi": true, "vào": true,
	"học": true, "tài": true, "cuối": true, "đầu": true, "giữa": true, "những": true, "các": true, "mỗi": true,
}

// yearOfSentence is the one year a sentence names as "năm YYYY" in a way
// that can be the event's own year, or "" when there is none or several.
func yearOfSentence(sentence string) string {
	year := ""
	for _, m := range reYearWord.FindAllStringSubmatch(sentence, -1) {
		before := strings.ToLower(strings.TrimSpace(m[1]))
		if m[3] != "" || notPublicationYear[before] {
			continue
		}
		if year != "" && year != m[2] {
			return "" // two candidate years: can't tell
		}
		year = m[2]
	}
	return year
}

// firstSentence cuts s at the first sentence end: ". ", "! ", "? " or a line
// break. A bare "." does not end it ("TP.HCM").
func firstSentence(s string) string {
	end := len(s)
	for _, sep := range []string{". ", "! ", "? ", "\n"} {
		if i := strings.Index(s, sep); i >= 0 && i < end {
			end = i
		}
	}
	return s[:end]
}
