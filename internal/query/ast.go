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
