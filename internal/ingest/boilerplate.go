package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// readingListMarkers head the lists of other articles that news pages put
// after the story. What follows one of them is not part of the article.
var readingListMarkers = []string{
	"Bài viết cùng chủ đề", "Có thể bạn quan tâm", "Nên xem", "Tin khác", "Tin liên quan",
	"Xem thêm", "Đọc thêm", "Tin cùng chuyên mục", "Bài liên quan", "Tin mới nhất", "Tin cùng chủ đề",
}

// isReadingListHeading reports whether a whole line is such a heading
// ("Tin khác", "Xem thêm:").
func isReadingListHeading(line string) bool {
	line = strings.TrimRight(strings.TrimSpace(line), ":： ")
	for _, m := range readingListMarkers {
		if strings.EqualFold(line, m) {
			return true
		}
	}
	return false
}

// inlineReadingLink reads a one-line link such as "Xem thêm: <headline>" or
// "Đọc thêm >> <headline>" and returns the headline.
func inlineReadingLink(line string) (string, bool) {
	line = strings.TrimSpace(line)
	for _, m := range []string{"Xem thêm", "Đọc thêm", "Tin liên quan"} {
		if len(line) > len(m) && strings.EqualFold(line[:len(m)], m) {
			rest := strings.TrimLeft(line[len(m):], " :：>»-–")
			if rest != "" && len(rest) < len(line)-len(m) {
				return rest, true
			}
		}
	}
	return "", false
}

// splitGluedMarkers separates headings that a scraper glued to the text
// before them ("… Thủ đôCó thể bạn quan tâm") and drops the headings.
func splitGluedMarkers(line string) []string {
	var out []string
	for {
		cut := -1
		var marker string
		for _, m := range readingListMarkers {
			if i := strings.Index(line, m); i >= 0 && (cut < 0 || i < cut) {
				cut, marker = i, m
			}
		}
		if cut < 0 {
			break
		}
		if s := strings.TrimSpace(line[:cut]); s != "" {
			out = append(out, s)
		}
		line = strings.TrimLeft(line[cut+len(marker):], " :：")
	}
	if s := strings.TrimSpace(line); s != "" {
		out = append(out, s)
	}
	return out
}

// reListingMeta is the section-and-date line under a headline in a reading
// list: "Nhịp sống Thủ đô 04/12/2025 21:32", or a date alone.
var reListingMeta = regexp.MustCompile(`^.{0,60}?\d{1,2}/\d{1,2}/\d{4}(?:\s*[-,|]?\s*\d{1,2}:\d{2})?$`)

// cleanReadingList keeps the headlines of a reading list: headings and the
// date lines under each headline are dropped.
func cleanReadingList(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, s := range splitGluedMarkers(l) {
			if !reListingMeta.MatchString(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// Known boilerplate of one archive: 24h.com.vn wraps every body in a "saved"
// notice and a source-link placeholder.
var (
	bodyPrefixes = []string{"Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu"}
	bodySuffixes = []string{"Nguồn: [Link nguồn]"}
)

// stripKnownBoilerplate removes the known prefixes and suffixes, repeated
// ones included.
func stripKnownBoilerplate(body string) string {
	body = strings.TrimSpace(body)
	for _, p := range bodyPrefixes {
		for strings.HasPrefix(body, p) {
			body = strings.TrimSpace(body[len(p):])
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range bodySuffixes {
			if strings.HasSuffix(body, s) {
				body, changed = strings.TrimSpace(body[:len(body)-len(s)]), true
			}
		}
	}
	return body
}

// splitBodyReadingList cuts a body at a paragraph that is a reading-list
// heading: the paragraphs after it are headlines, not the story. A heading
// as the first paragraph is left alone.
func splitBodyReadingList(body string) (string, []string) {
	paras := strings.Split(body, "\n")
	seenText := false
	for i, p := range paras {
		if seenText && isReadingListHeading(p) {
			var rest []string
			for _, l := range paras[i+1:] {
				if strings.TrimSpace(l) != "" {
					rest = append(rest, strings.TrimSpace(l))
				}
			}
			return strings.TrimSpace(strings.Join(paras[:i], "\n")), cleanReadingList(rest)
		}
		if strings.TrimSpace(p) != "" {
			seenText = true
		}
	}
	return body, nil
}

// Desegment undoes word segmentation (VietnameseMDS titles and summaries):
// "_" between letters becomes a space and punctuation split off with spaces
// is joined back: "Phe đối_lập Campuchia ( CNRP ) , hôm_nay" → "Phe đối lập
// Campuchia (CNRP), hôm nay".
func Desegment(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if r == '_' && i > 0 && i+1 < len(s) {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if isWordRune(prev) && isWordRune(next) {
				b.WriteByte(' ')
				continue
			}
		}
		b.WriteRune(r)
	}
	words := strings.Fields(b.String())
	var out strings.Builder
	quoteOpen := false
	glueNext := false
	for _, w := range words {
		glue := glueNext
		glueNext = false
		switch {
		case w == `"`:
			if quoteOpen {
				glue = true
			} else {
				glueNext = true
			}
			quoteOpen = !quoteOpen
		case strings.Trim(w, ",.;:!?)]}”…%") == "":
			glue = true
		case w == "(" || w == "[" || w == "{" || w == "“":
			glueNext = true
		}
		if out.Len() > 0 && !glue {
			out.WriteByte(' ')
		}
		out.WriteString(w)
	}
	return out.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
