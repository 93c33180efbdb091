package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that errors say where, that every
// tree has the shapes Parse documents, and that a tree written back as a
// query parses to the same tree.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"a b", `"a b" -c`, "a OR b OR c d", `“x”`, "-", `""`, "a OR OR b", "--a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %v is not a *SyntaxError", s, err)
			}
			if se.Pos < 0 || se.Pos >= len(s) || se.Column != utf8.RuneCountInString(s[:se.Pos])+1 {
				t.Fatalf("Parse(%q): error position %d, column %d out of place", s, se.Pos, se.Column)
			}
			return
		}
		if (n == nil) != (strings.TrimSpace(s) == "") {
			t.Fatalf("Parse(%q) = %v: nil exactly when the query is blank", s, n)
		}
		if n == nil {
			return
		}
		checkShape(t, s, n, true)
		again, err := Parse(format(n))
		if err != nil || !reflect.DeepEqual(again, n) {
			t.Fatalf("Parse(%q) = %#v, written back as %q it parses to %#v, %v", s, n, format(n), again, err)
		}
	})
}

// checkShape asserts the tree shapes Parse promises the engine.
func checkShape(t *testing.T, s string, n Node, top bool) {
	t.Helper()
	switch n := n.(type) {
	case Word:
		if n.Text == "OR" || !isWord(n.Text) {
			t.Fatalf("Parse(%q): bad word %q", s, n.Text)
		}
	case Phrase:
		if len(n.Words) == 0 {
			t.Fatalf("Parse(%q): empty phrase", s)
		}
		for _, w := range n.Words {
			if !isWord(w) { // "OR" is a word inside quotes
				t.Fatalf("Parse(%q): bad phrase word %q", s, w)
			}
		}
	case Not:
		checkTerm(t, s, n.Node)
	case Or:
		if len(n.Nodes) < 2 {
			t.Fatalf("Parse(%q): Or of %d", s, len(n.Nodes))
		}
		for _, c := range n.Nodes {
			checkTerm(t, s, c)
		}
	case And:
		if !top || len(n.Nodes) < 2 {
			t.Fatalf("Parse(%q): And of %d not at the top", s, len(n.Nodes))
		}
		for _, c := range n.Nodes {
			checkShape(t, s, c, false)
		}
	default:
		t.Fatalf("Parse(%q): unexpected node %#v", s, n)
	}
}

func isWord(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) }) < 0
}

func checkTerm(t *testing.T, s string, n Node) {
	t.Helper()
	switch n.(type) {
	case Word, Phrase:
		checkShape(t, s, n, false)
	default:
		t.Fatalf("Parse(%q): %#v where a word or phrase belongs", s, n)
	}
}

// format writes a tree in the query language (String() adds parentheses the
// language does not have).
func format(n Node) string {
	switch n := n.(type) {
	case Not:
		return "-" + format(n.Node)
	case And:
		return formatAll(n.Nodes, " ")
	case Or:
		return formatAll(n.Nodes, " OR ")
	}
	return n.String()
}

func formatAll(nodes []Node, sep string) string {
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		parts[i] = format(n)
	}
	return strings.Join(parts, sep)
}
