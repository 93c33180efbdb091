package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxLineBytes bounds one JSON Lines line held in memory; the rest of a longer
// line is read and thrown away, and the record is skipped.
const MaxLineBytes = 16 << 20

// Per-record problems a decoder reports. The pipeline counts skips by them.
var (
	ErrInvalidJSON = errors.New("invalid JSON")
	ErrLineTooLong = fmt.Errorf("line over %d MB", MaxLineBytes>>20)
)

// emitFunc receives each record a decoder finds, or the reason one was bad
// (with rec.File and rec.Line set). It returns false to stop decoding.
type emitFunc func(rec Record, bad error) bool

// decodeJSONL reads one JSON object per line. Blank lines are ignored; a bad
// line is reported and the next one read.
func decodeJSONL(r io.Reader, file string, emit emitFunc) error {
	lr := newLineReader(r, MaxLineBytes)
	for {
		line, tooLong, err := lr.next()
		if err != nil && err != io.EOF {
			// A truncated or corrupt stream: what was read so far is kept.
			return &LineError{Line: lr.line, Err: err}
		}
		if len(line) > 0 || tooLong {
			at := Record{File: file, Line: lr.line}
			if !emitJSONLine(line, tooLong, at, emit) {
				return nil
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func emitJSONLine(line []byte, tooLong bool, at Record, emit emitFunc) bool {
	if tooLong {
		return emit(at, ErrLineTooLong)
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return true
	}
	rec, err := recordFromJSON(line)
	if err != nil {
		return emit(at, fmt.Errorf("%w: %v", ErrInvalidJSON, jsonErrText(err)))
	}
	rec.File, rec.Line = at.File, at.Line
	return emit(rec, nil)
}

func jsonErrText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v at byte %d", se, se.Offset)
	}
	return err.Error()
}

// lineReader reads lines of at most max bytes without ever holding more.
type lineReader struct {
	r    *bufio.Reader
	max  int
	line int // number of the line last returned
	buf  []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 256<<10), max: max}
}

// next returns the next line without its line ending. tooLong reports a line
// over max, whose bytes were discarded. err is io.EOF after the last line.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	lr.line++
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > lr.max+2 {
				tooLong, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF && len(lr.buf) == 0 && !tooLong {
			lr.line--
		}
		return bytes.TrimRight(lr.buf, "\r\n"), tooLong, err
	}
}
