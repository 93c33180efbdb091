package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	// want is the tree's String(): And is "(a b)", Or is "(a OR b)".
	tests := []struct{ in, want string }{
		{"a", "a"},
		{"  a  ", "a"},
		{"a b c", "(a b c)"},
		{"dân vận khéo", "(dân vận khéo)"},
		{`"dân vận"`, `"dân vận"`},
		{`"  dân   vận  "`, `"dân vận"`},
		{`“dân vận”`, `"dân vận"`},
		{`“dân vận"`, `"dân vận"`},
		{`"dân vận”`, `"dân vận"`},
		{`"một"`, `"một"`},
		{"-a", "-a"},
		{"a -b", "(a -b)"},
		{`a -"b c"`, `(a -"b c")`},
		{`-“b c”`, `-"b c"`},
		{"a OR b", "(a OR b)"},
		{"a OR b OR c", "(a OR b OR c)"},
		{"a b OR c d", "(a (b OR c) d)"},
		{"a OR b c OR d", "((a OR b) (c OR d))"},
		{`"a b" OR c`, `("a b" OR c)`},
		{"a or b", "(a or b)"},
		{"a Or b", "(a Or b)"},
		{"ORDER", "ORDER"},
		{"a OR-b", "(a OR-b)"},
		{`"a OR b"`, `"a OR b"`},
		{"covid-19", "covid-19"},
		{"a-", "a-"},
		{"--a", "--a"},
		{`a"b c"d`, `(a "b c" d)`},
		{`a OR"b c"`, `(a OR "b c")`},
		{"a , b", "(a , b)"},
		{"—", "—"},
		{"a\u00a0b\tc\nd", "(a b c d)"},
		{"hoà hòa", "(hoà hòa)"},
		{"ho\u0300a", "ho\u0300a"}, // NFD passes through
		{"-a -b", "(-a -b)"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// String() cannot tell every shape apart; these check the exact trees.
func TestParseTree(t *testing.T) {
	tests := []struct {
		in   string
		want Node
	}{
		{"", nil},
		{" \t\n ", nil},
		{"a", Word{"a"}},
		{`"a"`, Phrase{[]string{"a"}}},
		{"a b", And{[]Node{Word{"a"}, Word{"b"}}}},
		{`-"a b"`, Not{Phrase{[]string{"a", "b"}}}},
		{"--a", Not{Word{"-a"}}},
		{"a b OR c d", And{[]Node{Word{"a"}, Or{[]Node{Word{"b"}, Word{"c"}}}, Word{"d"}}}},
		{"a OR b OR c", Or{[]Node{Word{"a"}, Word{"b"}, Word{"c"}}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		pos  int // byte offset
		want string
	}{
		{`abc "def`, 4, "unclosed quote at column 5"},
		{`"`, 0, "unclosed quote at column 1"},
		{`a -"b`, 3, "unclosed quote at column 4"},
		{`đường “Hà Nội`, 10, "unclosed quote at column 7"}, // column counts characters, not bytes
		{`a ""`, 2, "empty phrase at column 3"},
		{`a “  ”`, 2, "empty phrase at column 3"},
		{"-", 0, `"-" without a word after it at column 1`},
		{"a - b", 2, `"-" without a word after it at column 3`},
		{"a -", 2, `"-" without a word after it at column 3`},
		{"OR", 0, "OR without a word before it at column 1"},
		{"OR a", 0, "OR without a word before it at column 1"},
		{"a OR", 2, "OR without a word after it at column 3"},
		{"a OR b OR", 7, "OR without a word after it at column 8"},
		{"a OR OR b", 5, "OR right after OR at column 6"},
		{"a b OR OR", 7, "OR right after OR at column 8"},
		{"-OR", 0, "cannot exclude OR (write -or to exclude the word) at column 1"},
		{"a -OR b", 2, "cannot exclude OR (write -or to exclude the word) at column 3"},
		{"-a OR b", 0, "OR cannot join an exclusion at column 1"},
		{"a OR -b", 5, "OR cannot join an exclusion at column 6"},
		{`a OR -"b c"`, 5, "OR cannot join an exclusion at column 6"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, %v; want a *SyntaxError", tt.in, n, err)
			continue
		}
		if se.Pos != tt.pos || se.Error() != tt.want {
			t.Errorf("Parse(%q) error = %q at byte %d, want %q at byte %d", tt.in, se.Error(), se.Pos, tt.want, tt.pos)
		}
	}
}

func TestCountTerms(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"a", 1},
		{`a "b c d" -e -"f g" h OR i`, 9},
		{strings.Repeat("a ", 65), 65},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := CountTerms(n); got != tt.want {
			t.Errorf("CountTerms(Parse(%q)) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestWalkOrder(t *testing.T) {
	n, err := Parse(`a -"b c" d OR e`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Walk(n, func(n Node) { got = append(got, n.String()) })
	want := []string{`(a -"b c" (d OR e))`, "a", `-"b c"`, `"b c"`, "(d OR e)", "d", "e"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Walk visited %q, want %q", got, want)
	}
}
