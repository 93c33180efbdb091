package ingest

import "errors"

// ErrBinary is a page file that holds binary data, not text.
var ErrBinary = errors.New("binary data, not a text page")

// looksBinary reports whether a page is binary data: a NUL byte, or more
// than 1 % C0 control bytes other than white space, in its first 64 KB.
// Invalid UTF-8 alone is no sign: pages in legacy 8-bit encodings (TCVN3,
// VNI, windows-1258) are full of it and are converted later.
func looksBinary(b []byte) bool {
	head := b[:min(len(b), 64<<10)]
	controls := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v':
			controls++
		}
	}
	return controls*100 > len(head)
}
