package ingest

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"kho/internal/article"
)

// maxPageBytes bounds a page file read into memory; a page over it cannot
// hold an article kho accepts.
const maxPageBytes = 4 * article.MaxTextBytes

// ErrPageTooLarge is a page file over maxPageBytes.
var ErrPageTooLarge = fmt.Errorf("page over %d MB", maxPageBytes>>20)

// readPage reads a whole page file, refusing one over maxPageBytes.
func readPage(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPageBytes {
		return nil, ErrPageTooLarge
	}
	if looksBinary(b) {
		return nil, ErrBinary
	}
	return b, nil
}

// decodeTextPage reads a scraped text page: one article per file.
func decodeTextPage(r io.Reader, file string, emit emitFunc) error {
	b, err := readPage(r)
	if err != nil {
		if err == ErrPageTooLarge || err == ErrBinary {
			emit(Record{File: file, Line: 1}, err)
			return nil
		}
		return &LineError{Line: 1, Err: err}
	}
	rec := ParseTextPage(string(b))
	rec.File, rec.Line = file, 1
	rec.InvalidUTF8 = !utf8.Valid(b)
	emit(rec, nil)
	return nil
}

var (
	// ![](https://…) or ![alt]() with the table pipe some scrapers leave.
	reImage = regexp.MustCompile(`^!\[[^\]]*\]\([^)]*\)\s*\|?$`)
	// | a caption |
	rePipeLine = regexp.MustCompile(`^\|(.*)\|$`)
)

// ParseTextPage splits a scraped text page: the title on its first line, an
// optional date line under it, body paragraphs, image placeholders (dropped),
// "| caption |" lines under an image (captions), "| … |" boxes elsewhere
// (related links: reading list), and the reading list that a heading such as
// "Tin khác" starts at the end.
func ParseTextPage(page string) Record {
	lines := strings.Split(strings.ReplaceAll(page, "\r\n", "\n"), "\n")
	var rec Record
	var body, listed []string
	afterImage := false
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "":
			continue // blank lines separate paragraphs but don't end an image's caption
		case reImage.MatchString(line):
			afterImage = true
			continue
		case rec.Title == "":
			rec.Title = line
			continue
		case rePipeLine.MatchString(line):
			text := strings.TrimSpace(rePipeLine.FindStringSubmatch(line)[1])
			if text != "" && afterImage {
				rec.Captions = append(rec.Captions, text)
			} else if text != "" {
				rec.ReadingList = append(rec.ReadingList, text)
			}
		case len(body) == 0 && rec.Published == "" && isDateLine(line):
			rec.Published = line
		case len(body) > 0 && isReadingListHeading(line):
			listed = append(listed, lines[i+1:]...)
			i = len(lines)
		default:
			if headline, ok := inlineReadingLink(line); ok && len(body) > 0 {
				rec.ReadingList = append(rec.ReadingList, headline)
			} else {
				body = append(body, line)
			}
		}
		afterImage = false
	}
	var rest []string
	for _, l := range listed {
		if l = strings.TrimSpace(l); l != "" {
			rest = append(rest, l)
		}
	}
	rec.ReadingList = append(rec.ReadingList, cleanReadingList(rest)...)
	rec.Body = strings.Join(body, "\n\n")
	return rec
}

// isDateLine reports whether a whole line is a date ("Thứ tư, 26/6/2024,
// 10:30 (GMT+7)"), as pages print under their title.
func isDateLine(line string) bool {
	if len(line) > 80 {
		return false
	}
	_, err := ParseDate(line, time.UTC)
	return err == nil
}
