package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kho/internal/article"
)

// BodyRecord is one record of a request body, converted as kho ingest
// converts a record: the article, or why it cannot be stored.
type BodyRecord struct {
	Line    int              // where the record starts in the body, 1-based
	Key     string           // the article key, when the record had enough to make one
	Article *article.Article // nil when skipped
	Skip    error            // why the record is not stored
}

// ErrNotJSON means a body does not start like JSON.
var ErrNotJSON = errors.New("not JSON: send a JSON object, an array of objects or one object per line")

// DecodeBody reads a body holding one JSON object, an array of objects, or
// one object per line (NDJSON), and converts each record with the cleaning,
// date and key rules of Run (opts.Source and opts.Location apply; records
// naming no source and no URL get the source "api"). fn receives every
// record in order and returns false to stop. A body that breaks off ends
// with a record whose Skip says where. The error is ErrNotJSON, or a read
// error of the body itself (such as *http.MaxBytesError).
func DecodeBody(body io.Reader, opts Options, fn func(BodyRecord) bool) error {
	if opts.Location == nil {
		return errors.New("decode body: no time zone")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	conv := converter{loc: opts.Location, now: now(), source: opts.Source}
	src := &errRecorder{r: body}
	br := bufio.NewReaderSize(src, 64<<10)
	if blank(br) {
		return src.readErr() // no records
	}
	format := sniff(br)
	if format != FormatJSON && format != FormatJSONL {
		if err := src.readErr(); err != nil {
			return err
		}
		return ErrNotJSON
	}
	err := decoderFor(format)(br, "body", func(rec Record, bad error) bool {
		if bad != nil {
			return fn(BodyRecord{Line: rec.Line, Skip: bad})
		}
		rec.sourceGuess = "api"
		c := conv.convert(rec)
		return fn(BodyRecord{Line: rec.Line, Key: c.key, Article: c.a, Skip: c.skip})
	})
	if err := src.readErr(); err != nil {
		return err // the body could not be read: say so, not "invalid JSON"
	}
	if err != nil {
		line := 0
		var le *LineError
		if errors.As(err, &le) {
			line, err = le.Line, le.Err
		}
		if !errors.Is(err, ErrInvalidJSON) {
			err = fmt.Errorf("%w: %v", errTruncated, err)
		}
		fn(BodyRecord{Line: line, Skip: err})
	}
	return nil
}

// errRecorder remembers the first error of the reader under a decoder,
// which may hide it inside its own.
type errRecorder struct {
	r   io.Reader
	err error
}

// readErr is the reader's error, if it was not the end of the body.
func (e *errRecorder) readErr() error {
	if e.err == io.EOF {
		return nil
	}
	return e.err
}

// blank reports whether the body is white space only. It peeks, so line
// numbers still count from the body's first line.
func blank(br *bufio.Reader) bool {
	head, err := br.Peek(br.Size())
	return err != nil && len(strings.TrimLeft(string(head), " \t\r\n")) == 0
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}
