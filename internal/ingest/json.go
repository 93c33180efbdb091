package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// wrapperKeys name the array of articles inside an object such as
// {"articles": [...]}.
var wrapperKeys = []string{"articles", "items", "data", "records", "results", "docs", "posts"}

// decodeJSON reads a JSON document: an array of articles, one article
// object, an object wrapping an array of articles, or several such values
// one after another. Invalid JSON stops the file: records read before it are
// kept and the error says at which line.
func decodeJSON(r io.Reader, file string, emit emitFunc) error {
	lines := &newlineIndex{r: r}
	br := bufio.NewReaderSize(lines, 64<<10)
	d := json.NewDecoder(br)
	fail := func(err error) error {
		at := d.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at = se.Offset // where the stream went wrong, not where the value began
		}
		return &LineError{Line: lines.lineAt(at), Err: fmt.Errorf("%w: %v", ErrInvalidJSON, jsonErrText(err))}
	}
	// A top-level array is streamed element by element, so a large dump
	// never sits in memory whole.
	if firstByte(br) == '[' {
		if _, err := d.Token(); err != nil {
			return fail(err)
		}
		for d.More() {
			start := lines.lineAt(nextValueOffset(d))
			var v json.RawMessage
			if err := d.Decode(&v); err != nil {
				return fail(err)
			}
			if !emitRecord(v, Record{File: file, Line: start}, emit) {
				return nil
			}
		}
		if _, err := d.Token(); err != nil {
			return fail(err)
		}
	}
	for {
		start := lines.lineAt(nextValueOffset(d))
		var v json.RawMessage
		err := d.Decode(&v)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fail(err)
		}
		if !emitJSONValue(v, file, start, emit) {
			return nil
		}
	}
}

// firstByte peeks at the first byte that is not white space.
func firstByte(br *bufio.Reader) byte {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n || err != nil {
			return 0
		}
		if c := b[n-1]; c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return c
		}
	}
}

// nextValueOffset is where the decoder's next value starts (past white space
// and the comma between array elements), for line numbers.
func nextValueOffset(d *json.Decoder) int64 {
	off := d.InputOffset()
	buf, ok := d.Buffered().(*bytes.Reader)
	if !ok {
		return off
	}
	for buf.Len() > 0 {
		c, _ := buf.ReadByte()
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != ',' {
			break
		}
		off++
	}
	return off
}

func emitJSONValue(v json.RawMessage, file string, line int, emit emitFunc) bool {
	v = bytes.TrimSpace(v)
	at := Record{File: file, Line: line}
	switch {
	case len(v) > 0 && v[0] == '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return emit(at, fmt.Errorf("%w: %v", ErrInvalidJSON, err))
		}
		return emitElements(elems, v, file, line, emit)
	case len(v) > 0 && v[0] == '{':
		if elems, ok := wrappedArray(v); ok {
			return emitElements(elems, v, file, line, emit)
		}
		return emitRecord(v, at, emit)
	}
	return emit(at, fmt.Errorf("%w: %.20s is not an article object", ErrInvalidJSON, v))
}

// emitElements emits the objects of an array; each gets the line where it
// starts inside the value that began at line.
func emitElements(elems []json.RawMessage, whole []byte, file string, line int, emit emitFunc) bool {
	pos := 0 // elements appear in order, so each is searched for after the last
	for _, e := range elems {
		at := line
		if i := bytes.Index(whole[pos:], e); i >= 0 {
			at += bytes.Count(whole[:pos+i], []byte("\n"))
			pos += i + len(e)
		}
		if !emitRecord(e, Record{File: file, Line: at}, emit) {
			return false
		}
	}
	return true
}

func emitRecord(v json.RawMessage, at Record, emit emitFunc) bool {
	rec, err := recordFromJSON(v)
	if errors.Is(err, ErrNotRecord) {
		return emit(at, fmt.Errorf("%w: array element is not an article object", ErrInvalidJSON))
	}
	if err != nil {
		return emit(at, fmt.Errorf("%w: %v", ErrInvalidJSON, jsonErrText(err)))
	}
	rec.File, rec.Line = at.File, at.Line
	return emit(rec, nil)
}

// wrappedArray finds {"articles": [...]} and the like: an object with no
// article fields of its own and an array of objects under a known key.
func wrappedArray(v json.RawMessage) ([]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil {
		return nil, false
	}
	for _, aliases := range [][]string{aliasTitle, aliasBody} {
		for _, a := range aliases {
			if _, ok := obj[a]; ok {
				return nil, false
			}
		}
	}
	for _, k := range wrapperKeys {
		var elems []json.RawMessage
		if raw, ok := obj[k]; ok && json.Unmarshal(raw, &elems) == nil {
			return elems, true
		}
	}
	return nil, false
}

// newlineIndex passes bytes through and remembers where lines start, so a
// decoder's byte offset can be turned into a line number.
type newlineIndex struct {
	r        io.Reader
	read     int64
	newlines []int64
}

func (n *newlineIndex) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	for i, c := range p[:k] {
		if c == '\n' {
			n.newlines = append(n.newlines, n.read+int64(i))
		}
	}
	n.read += int64(k)
	return k, err
}

// lineAt is the 1-based line holding byte offset off.
func (n *newlineIndex) lineAt(off int64) int {
	return 1 + sort.Search(len(n.newlines), func(i int) bool { return n.newlines[i] >= off })
}
