package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
)

// Format names an input format; FormatAuto picks one per file.
type Format string

const (
	FormatAuto  Format = "auto"
	FormatJSONL Format = "jsonl"
	FormatJSON  Format = "json"
	FormatText  Format = "text"
	FormatHTML  Format = "html"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatAuto, FormatJSONL, FormatJSON, FormatText, FormatHTML:
		return f, nil
	case "":
		return FormatAuto, nil
	}
	return "", fmt.Errorf("unknown format %q (want auto, jsonl, json, text or html)", s)
}

// Stdin is the path that means standard input.
const Stdin = "-"

var (
	errUnreadable = errors.New("unreadable")
	errTruncated  = errors.New("truncated or corrupt")
	errIgnored    = errors.New("not an archive file")
)

// input is one file (or stdin) to read.
type input struct {
	path string
	size int64 // -1 for stdin
}

// expand turns the command line's paths into files, walking directories in
// lexical order. Hidden files and folders are left out; files whose name
// says no format are reported as ignored. Problems don't stop the walk.
func expand(paths []string, format Format) (inputs []input, problems []fileProblem) {
	for _, p := range paths {
		if p == Stdin {
			inputs = append(inputs, input{path: Stdin, size: -1})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			problems = append(problems, fileProblem{p, 0, fmt.Errorf("%w: %v", errUnreadable, err)})
			continue
		}
		if !info.IsDir() {
			inputs = append(inputs, input{path: p, size: info.Size()})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, fileProblem{path, 0, fmt.Errorf("%w: %v", errUnreadable, err)})
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			if format == FormatAuto && formatOfName(path) == "" {
				problems = append(problems, fileProblem{path, 0, errIgnored})
				return nil
			}
			info, err := d.Info()
			if err != nil {
				problems = append(problems, fileProblem{path, 0, fmt.Errorf("%w: %v", errUnreadable, err)})
				return nil
			}
			inputs = append(inputs, input{path: path, size: info.Size()})
			return nil
		})
		if err != nil {
			problems = append(problems, fileProblem{p, 0, fmt.Errorf("%w: %v", errUnreadable, err)})
		}
	}
	return inputs, problems
}

type fileProblem struct {
	path string
	line int
	err  error
}

// formatOfName is the format a file name says, "" when it says none.
func formatOfName(path string) Format {
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".gz"))
	switch filepath.Ext(name) {
	case ".jsonl", ".ndjson", ".jsonlines":
		return FormatJSONL
	case ".json":
		return FormatJSON
	case ".txt", ".text":
		return FormatText
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	}
	return ""
}

// baseName is a file's name without its extensions: "vims.jsonl.gz" → "vims".
func baseName(path string) string {
	name := filepath.Base(path)
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	return name
}

// sourceGuess is the source of records that name none and came with no
// --source: a record file's base name ("vims.jsonl.gz" → "vims"), or for a
// page file the name of its folder ("seed/000_x.txt" → "seed"), so a folder
// of pages is one source.
func sourceGuess(path string, f Format) string {
	if path == Stdin {
		return "stdin"
	}
	if f == FormatText || f == FormatHTML {
		if abs, err := filepath.Abs(path); err == nil {
			if dir := filepath.Base(filepath.Dir(abs)); dir != "/" && dir != "." {
				return dir
			}
		}
	}
	return baseName(path)
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// uncompressed returns a reader of r's content, gunzipping it when it starts
// with the gzip magic, whatever its name, and without a UTF-8 byte order
// mark (Windows tools write one; JSON decoders choke on it).
func uncompressed(r io.Reader) (*bufio.Reader, io.Closer, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	var closer io.Closer = io.NopCloser(nil)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: gzip: %v", errTruncated, err)
		}
		br, closer = bufio.NewReaderSize(zr, 256<<10), zr
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	return br, closer, nil
}

// sniff guesses the format of content whose name says none.
func sniff(br *bufio.Reader) Format {
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	switch {
	case len(head) == 0:
		return FormatText
	case head[0] == '[':
		return FormatJSON
	case head[0] == '{':
		// One object per line is JSON Lines; a pretty-printed object is JSON.
		first, _, _ := bytes.Cut(head, []byte("\n"))
		if json.Valid(bytes.TrimSpace(first)) {
			return FormatJSONL
		}
		return FormatJSON
	case head[0] == '<':
		return FormatHTML
	}
	return FormatText
}

func decoderFor(f Format) func(io.Reader, string, emitFunc) error {
	switch f {
	case FormatJSONL:
		return decodeJSONL
	case FormatJSON:
		return decodeJSON
	case FormatHTML:
		return decodeHTMLPage
	}
	return decodeTextPage
}
