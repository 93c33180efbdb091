package query

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SyntaxError is a query that cannot be parsed. Match it with errors.As; it
// says where the problem is both in bytes (Pos, for code) and in characters
// (Column, for people).
type SyntaxError struct {
	Pos    int // byte offset in the query
	Column int // 1-based character (rune) column of Pos
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at column %d", e.Msg, e.Column)
}

// Parse turns what a user typed into a query tree:
//
//	word            Word: words separated by whitespace must all match (And, in typed order)
//	"exact phrase"  Phrase; “typographic quotes” work too
//	-word -"phrase" Not: exclude
//	a OR b          Or; binds tighter than the implicit And: a b OR c d = a (b OR c) d
//
// OR is an operator only in upper case (or is a word) and only between two
// included words or phrases. The tree Parse returns keeps these shapes, which
// the engine may rely on: an And holds Words, Phrases, Nots and Ors; an Or
// holds two or more Words and Phrases; a Not holds a Word or a Phrase. A
// query of one node is that node, not a one-child And. An empty or
// whitespace-only query is (nil, nil): the engine lists the whole archive.
// A query of exclusions only (-abc) is valid: everything except.
//
// Words are kept as typed, punctuation included ("covid-19", "," or "—"):
// Parse does not know which characters make syllables, the engine does, and
// it drops words with none. Text is not normalized here either (NFD passes
// through); the engine normalizes it like indexed text.
func Parse(s string) (Node, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	var nodes []Node
	for i := 0; i < len(toks); {
		group, next, err := parseOr(s, toks, i)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, group)
		i = next
	}
	switch len(nodes) {
	case 0:
		return nil, nil
	case 1:
		return nodes[0], nil
	}
	return And{Nodes: nodes}, nil
}

// parseOr reads the term at toks[i] and any "OR term" that follow it. It
// returns the term alone or an Or of the chain, and the index after it.
func parseOr(s string, toks []token, i int) (Node, int, error) {
	first := toks[i]
	if first.or {
		return nil, 0, syntaxError(s, first.pos, "OR without a word before it")
	}
	nodes := []Node{first.node}
	for i++; i < len(toks) && toks[i].or; i += 2 {
		if _, ok := first.node.(Not); ok {
			return nil, 0, syntaxError(s, first.pos, "OR cannot join an exclusion")
		}
		if i+1 == len(toks) {
			return nil, 0, syntaxError(s, toks[i].pos, "OR without a word after it")
		}
		next := toks[i+1]
		if next.or {
			return nil, 0, syntaxError(s, next.pos, "OR right after OR")
		}
		if _, ok := next.node.(Not); ok {
			return nil, 0, syntaxError(s, next.pos, "OR cannot join an exclusion")
		}
		nodes = append(nodes, next.node)
	}
	if len(nodes) == 1 {
		return first.node, i, nil
	}
	return Or{Nodes: nodes}, i, nil
}

// token is the OR operator or one term: a Word, a Phrase or a Not of either.
type token struct {
	pos  int // byte offset of the token's first byte (the '-' of an exclusion)
	or   bool
	node Node
}

// lex splits s into tokens. A word runs to the next whitespace or quote, so
// a-b is one word and a"b c" is a word followed by a phrase.
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		start, neg := i, r == '-'
		if neg {
			i += size
			if r, _ := utf8.DecodeRuneInString(s[i:]); i == len(s) || unicode.IsSpace(r) {
				return nil, syntaxError(s, start, `"-" without a word after it`)
			}
		}
		n, end, err := lexTerm(s, i)
		if err != nil {
			return nil, err
		}
		i = end
		if n == (Word{"OR"}) {
			if neg {
				return nil, syntaxError(s, start, "cannot exclude OR (write -or to exclude the word)")
			}
			toks = append(toks, token{pos: start, or: true})
			continue
		}
		if neg {
			n = Not{Node: n}
		}
		toks = append(toks, token{pos: start, node: n})
	}
	return toks, nil
}

// lexTerm reads the word or phrase that starts at s[i], a non-space
// character, and returns it with the offset just after it.
func lexTerm(s string, i int) (Node, int, error) {
	r, size := utf8.DecodeRuneInString(s[i:])
	if !isQuote(r) {
		end := strings.IndexFunc(s[i:], func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) })
		if end < 0 {
			end = len(s) - i
		}
		return Word{Text: s[i : i+end]}, i + end, nil
	}
	body := s[i+size:]
	end := strings.IndexFunc(body, isQuote)
	if end < 0 {
		return nil, 0, syntaxError(s, i, "unclosed quote")
	}
	words := strings.Fields(body[:end])
	if len(words) == 0 {
		return nil, 0, syntaxError(s, i, "empty phrase")
	}
	_, closeSize := utf8.DecodeRuneInString(body[end:])
	return Phrase{Words: words}, i + size + end + closeSize, nil
}

// isQuote reports whether r opens or closes a phrase. Typographic quotes
// count: word processors, phones and Vietnamese keyboards produce them, and
// either kind may close a phrase the other opened.
func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

func syntaxError(s string, pos int, msg string) *SyntaxError {
	return &SyntaxError{Pos: pos, Column: utf8.RuneCountInString(s[:pos]) + 1, Msg: msg}
}
