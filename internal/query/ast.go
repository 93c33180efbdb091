package query

import "strings"

// Node is one piece of a parsed query.
type Node interface{ String() string }

// Word is one whitespace-separated word as the user typed it. It may hold
// more than one syllable after analysis ("covid-19"); the engine then treats
// it as a phrase.
type Word struct{ Text string }

// Phrase is a quoted "exact phrase": its words must stand next to each other.
type Phrase struct{ Words []string }

// Not excludes articles matching Node (-word, -"phrase").
type Not struct{ Node Node }

// And requires every node. Its children keep the order they were typed in,
// so the engine can reward words that stand next to each other.
type And struct{ Nodes []Node }

// Or requires at least one node (a OR b).
type Or struct{ Nodes []Node }

func (w Word) String() string   { return w.Text }
func (p Phrase) String() string { return `"` + strings.Join(p.Words, " ") + `"` }
func (n Not) String() string    { return "-" + n.Node.String() }
func (a And) String() string    { return "(" + join(a.Nodes, " ") + ")" }
func (o Or) String() string     { return "(" + join(o.Nodes, " OR ") + ")" }

func join(nodes []Node, sep string) string {
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		parts[i] = n.String()
	}
	return strings.Join(parts, sep)
}

// Walk calls fn for n and every node below it, parents before children, in
// the order they were typed. A nil n visits nothing.
func Walk(n Node, fn func(Node)) {
	Inspect(n, func(n Node) bool { fn(n); return true })
}

// Inspect is Walk that lets fn prune: the nodes below n are visited only
// when fn(n) returns true (as go/ast.Inspect). Highlighting and ranking use
// it to leave out what an exclusion holds.
func Inspect(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case Not:
		Inspect(n.Node, fn)
	case And:
		for _, c := range n.Nodes {
			Inspect(c, fn)
		}
	case Or:
		for _, c := range n.Nodes {
			Inspect(c, fn)
		}
	}
}

// CountTerms is the number of words in a query: each Word, and each word of
// each Phrase, excluded ones included. The request layer limits it because
// every term becomes several clauses of the engine's query.
func CountTerms(n Node) int {
	count := 0
	Walk(n, func(n Node) {
		switch n := n.(type) {
		case Word:
			count++
		case Phrase:
			count += len(n.Words)
		}
	})
	return count
}
