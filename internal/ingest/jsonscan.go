package ingest

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// splitObject splits a JSON line holding one object into its fields, as
// json.Decoder.Decode into a map[string]json.RawMessage does, in one pass
// over the bytes: the decoder scans a line byte by byte through its state
// machine twice (to find the value's end, then to split it), which was a
// twentieth of the CPU of an ingest. ok is false for anything it is not sure
// of (escaped keys, deep nesting, invalid JSON, a value that is not an
// object, bytes that are not UTF-8 anywhere in the line), which the caller
// hands to encoding/json for the same answer or its error. Like the
// decoder, it reads the first value and not what follows it; ok says the
// whole line is UTF-8, checked as its strings are read (JSON's other
// tokens are ASCII) and after the value. The values point into raw.
func splitObject(raw []byte) (fields map[string]json.RawMessage, ok bool) {
	s := jsonScanner{b: raw}
	s.space()
	if s.peek() != '{' {
		return nil, false
	}
	fields = make(map[string]json.RawMessage, 12)
	ok = s.container(1, func(key, value []byte) bool {
		if bytes.IndexByte(key, '\\') >= 0 { // encoding/json would unescape it
			return false
		}
		fields[string(key)] = value[:len(value):len(value)]
		return true
	})
	if !ok || !utf8.Valid(raw[s.i:]) {
		return nil, false
	}
	return fields, true
}

// jsonScanner checks JSON values at least as strictly as encoding/json.
type jsonScanner struct {
	b []byte
	i int
}

// maxJSONDepth: values nested deeper go to encoding/json (which allows
// 10,000 levels); an article's fields nest two or three.
const maxJSONDepth = 64

func (s *jsonScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// jsonStringStop marks the bytes that end a string's plain ASCII run: the
// closing quote, an escape, the control characters JSON forbids in a
// string, and the first byte of a multi-byte rune, which is checked.
var jsonStringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str reads a string starting at s.i, its escapes checked as encoding/json
// checks them (any runes ≥ 0x20 may stand unescaped). It refuses bytes
// that are not UTF-8, which encoding/json would replace: the line then
// takes the way of text that may be in a legacy encoding.
func (s *jsonScanner) str() bool {
	if s.peek() != '"' {
		return false
	}
	b, i := s.b, s.i+1
	for i < len(b) {
		c := b[i]
		if !jsonStringStop[c] {
			i++
			continue
		}
		switch c {
		case '"':
			s.i = i + 1
			return true
		case '\\':
			if i+1 >= len(b) {
				return false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return false
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						return false
					}
				}
				i += 6
			default:
				return false
			}
		default:
			if c < utf8.RuneSelf { // a control character
				return false
			}
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// value reads any JSON value at s.i, nested depth levels down.
func (s *jsonScanner) value(depth int) bool {
	switch c := s.peek(); {
	case c == '"':
		return s.str()
	case c == '{' || c == '[':
		return depth < maxJSONDepth && s.container(depth, nil)
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

// container reads an object or an array at s.i. member, when not nil, is
// shown each of an object's keys (without its quotes) and values, and
// stops the reading by returning false.
func (s *jsonScanner) container(depth int, member func(key, value []byte) bool) bool {
	object := s.b[s.i] == '{'
	end := byte(']')
	if object {
		end = '}'
	}
	s.i++
	s.space()
	if s.peek() == end {
		s.i++
		return true
	}
	for {
		s.space()
		var key []byte
		if object {
			start := s.i
			if !s.str() {
				return false
			}
			key = s.b[start+1 : s.i-1]
			s.space()
			if s.peek() != ':' {
				return false
			}
			s.i++
			s.space()
		}
		start := s.i
		if !s.value(depth + 1) {
			return false
		}
		if member != nil && !member(key, s.b[start:s.i]) {
			return false
		}
		s.space()
		switch s.peek() {
		case ',':
			s.i++
		case end:
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *jsonScanner) literal(word string) bool {
	if !bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		return false
	}
	s.i += len(word)
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *jsonScanner) number() bool {
	if s.peek() == '-' {
		s.i++
	}
	switch c := s.peek(); {
	case c == '0':
		s.i++
	case '1' <= c && c <= '9':
		s.digits()
	default:
		return false
	}
	if s.peek() == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// digits reads one or more digits.
func (s *jsonScanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}
