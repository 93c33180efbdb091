package web

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMarked(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Dân vận khéo", "Dân vận khéo"},
		{"<mark>Dân vận</mark> khéo", "<mark>Dân vận</mark> khéo"},
		{"a &amp; b &lt;i&gt;", "a &amp; b &lt;i&gt;"},
		{"Tom &amp; Jerry&#39;s", "Tom &amp; Jerry&#39;s"},
		// An engine that forgot to escape still cannot inject markup.
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{`"><img src=x onerror=alert(1)>`, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"},
		{"<mark onclick=x>a</mark>", "&lt;mark onclick=x&gt;a"},
		{"<MARK>a</MARK>", "&lt;MARK&gt;a&lt;/MARK&gt;"},
		// An escaped tag in an article is text, even when it spells mark.
		{"&lt;mark&gt;x&lt;/mark&gt;", "&lt;mark&gt;x&lt;/mark&gt;"},
		{"&lt;script&gt;<mark>x</mark>", "&lt;script&gt;<mark>x</mark>"},
		// Marks stay balanced.
		{"<mark>open", "<mark>open</mark>"},
		{"close</mark> here", "close here"},
		{"<mark>a<mark>b</mark>c</mark>", "<mark>ab</mark>c"},
		// Half an entity next to a mark stays text.
		{"&am<mark>p;</mark>", "&amp;am<mark>p;</mark>"},
	}
	for _, tt := range tests {
		if got := string(marked(tt.in)); got != tt.want {
			t.Errorf("marked(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzMarked checks that whatever the engine sends, the only tags that come
// out are balanced <mark> and </mark>, and no text is lost.
func FuzzMarked(f *testing.F) {
	for _, s := range []string{"<mark>a</mark>", "<script>", "&lt;mark&gt;", "<mark><mark>", "&#x3c;", "x</mark"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(marked(s))
		rest, depth := out, 0
		for rest != "" {
			i := strings.IndexAny(rest, "<>")
			if i < 0 {
				break
			}
			rest = rest[i:]
			switch {
			case strings.HasPrefix(rest, markOpen):
				depth++
				rest = rest[len(markOpen):]
			case strings.HasPrefix(rest, markClose):
				depth--
				rest = rest[len(markClose):]
			default:
				t.Fatalf("marked(%q) = %q: a bare %q", s, out, rest[:1])
			}
			if depth < 0 || depth > 1 {
				t.Fatalf("marked(%q) = %q: marks unbalanced", s, out)
			}
		}
		if depth != 0 {
			t.Fatalf("marked(%q) = %q: a mark left open", s, out)
		}
		if strings.ContainsAny(out, `"'`) {
			t.Fatalf("marked(%q) = %q: a raw quote", s, out)
		}
		if got, want := html.UnescapeString(stripMarks.Replace(out)), unescapePieces(s); got != want {
			t.Fatalf("marked(%q) = %q: text %q, want %q", s, out, got, want)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("marked(%q) = %q: broke UTF-8", s, out)
		}
	})
}

var stripMarks = strings.NewReplacer(markOpen, "", markClose, "")

// unescapePieces is the text of engine output: the pieces between mark
// tags, each unescaped.
func unescapePieces(s string) string {
	var b strings.Builder
	for _, open := range strings.Split(s, markOpen) {
		for _, piece := range strings.Split(open, markClose) {
			b.WriteString(html.UnescapeString(piece))
		}
	}
	return b.String()
}
