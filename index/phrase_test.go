package index

import (
	"context"
	"testing"

	"kho/internal/article"
	uq "kho/internal/query"
	"kho/internal/vntext"
)

// Without positions, a phrase of three syllables is found through its two
// pairs; an article that has both pairs apart must not match it.
func TestPhraseOfThreeNeedsTheSyllablesInARow(t *testing.T) {
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := []article.Article{
		{ID: "x:1", Title: "Dân vận khéo ở khu phố", Body: "Tổ dân phố làm công tác dân vận khéo.", Source: "x.vn"},
		{ID: "x:2", Title: "Người dân vận chuyển hàng", Body: "Việc vận khéo léo giúp hàng tới nơi. Dân vận chuyển cả đêm.", Source: "x.vn",
			Captions: []string{"Dân vận", "khéo tay"}},
		{ID: "x:3", Title: "Chuyện khác", Body: "Dân, vận, khéo: ba chữ của bài học.", Source: "x.vn"},
	}
	for i := range arts {
		if err := indexArticle(ix, &arts[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		phrase []string
		want   string
	}{
		{[]string{"dan", "van", "kheo"}, "x:1 x:3"}, // x:3: neighbours across commas, as the pairs fields see them
		{[]string{"dân", "vận", "khéo"}, "x:1 x:3"},
		{[]string{"van", "kheo", "leo"}, "x:2"},
		{[]string{"dan", "van", "chuyen", "ca"}, "x:2"},
		{[]string{"dan", "van", "chuyen", "hang", "viec"}, ""},
	} {
		r, err := ix.Search(context.Background(), SearchRequest{Query: uq.Phrase{Words: tc.phrase}, Page: 1, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedWords(ids(r)); got != tc.want || r.Total != uint64(len(r.Hits)) {
			t.Errorf("%q: got %q (total %d), want %q", tc.phrase, got, r.Total, tc.want)
		}
	}
}

// hasFoldedRun reads only around the places where the phrase may start; it
// must answer as splitting the whole text into syllables does.
func TestHasFoldedRunAgreesWithWholeText(t *testing.T) {
	whole := func(text string, folded []string) bool {
		toks := vntext.Syllables(vntext.Fold(text))
		for i := 0; i+len(folded) <= len(toks); i++ {
			n := 0
			for n < len(folded) && toks[i+n].Text == folded[n] {
				n++
			}
			if n == len(folded) {
				return true
			}
		}
		return false
	}
	texts := append([]string{
		"Nhà nhân dân, nhà nước: nhân dân nhà.",
		"an an an nhan an",
		"Dân —————————————————————— vận khéo",
		"cuối văn bản dân vận khé",
		"dân vận khéo",
		"Cùng ĐBSCL, đồng bằng sông Cửu Long, đường dương đương",
	}, sentences...)
	phrases := [][]string{
		{"nha", "nhan", "dan"}, {"nhan", "dan", "nha"}, {"an", "an", "nhan"}, {"an", "nhan", "an"},
		{"dan", "van", "kheo"}, {"van", "kheo"}, {"dong", "bang", "song"}, {"duong", "duong"},
		{"song", "cuu", "long"}, {"a", "b", "c"},
	}
	for _, text := range texts {
		for _, p := range phrases {
			if got, want := hasFoldedRun(text, p), whole(text, p); got != want {
				t.Errorf("hasFoldedRun(%q, %q) = %v, want %v", text, p, got, want)
			}
		}
		// Every run of three syllables the text has is found.
		toks := vntext.Syllables(vntext.Fold(text))
		for i := 0; i+3 <= len(toks); i++ {
			p := []string{toks[i].Text, toks[i+1].Text, toks[i+2].Text}
			if !hasFoldedRun(text, p) {
				t.Errorf("hasFoldedRun(%q, %q) = false", text, p)
			}
		}
	}
}
