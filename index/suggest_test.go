package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
	uq "kho/internal/query"
)

// roadArticles teach the model that "con duong" is "con đường"; one article
// has "dương" instead, and must rank below the restored form.
var roadArticles = []article.Article{
	{ID: "r:1", Title: "Con đường mới mở ở ngoại thành", Body: "Con đường rộng bốn làn xe. Con đường nối hai huyện."},
	{ID: "r:2", Title: "Sửa con đường làng", Body: "Người dân góp tiền sửa con đường làng. Con đường đã xong."},
	{ID: "r:3", Title: "Con dương cầm", Body: "Con dương cầm cũ."},
	// r:5 and r:4 differ only in đường/dương: the restored form ranks first
	// (on a tie, the smaller id would come first).
	{ID: "r:5", Title: "Tin vắn trong ngày", Body: "Buổi chiều, con đường ven hồ đông người qua lại."},
	{ID: "r:4", Title: "Tin vắn trong ngày", Body: "Buổi chiều, con dương ven hồ đông người qua lại."},
}

func writeAll(t *testing.T, ix *Index, arts []article.Article) {
	t.Helper()
	w := ix.NewWriter(WriterOptions{})
	for i := range arts {
		a := arts[i]
		a.Source, a.PublishedFrom = "r.vn", article.FromUnknown
		if err := w.Add(context.Background(), &a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func searchText(t *testing.T, ix *Index, text string) *SearchResult {
	t.Helper()
	q, err := uq.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.Search(context.Background(), SearchRequest{Query: q, Text: text, Page: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSuggestionAndRestoredRanking(t *testing.T) {
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	writeAll(t, ix, roadArticles)
	writeAll(t, ix, fillerArticles(30))

	r := searchText(t, ix, "con duong")
	if r.Suggestion != "con đường" {
		t.Errorf("suggestion for %q: got %q, want %q", "con duong", r.Suggestion, "con đường")
	}
	if got := ids(r); r.Total != 5 || strings.Index(got, "r:5") > strings.Index(got, "r:4") {
		t.Errorf("the article with the restored form (r:5) should rank above its folded-only twin (r:4): got %s", got)
	}
	// Typed diacritics tier the results: every article with đường first,
	// even r:5, which mentions it once, above r:3 and r:4 (dương only).
	typed := ids(searchText(t, ix, "con đường"))
	if strings.Index(typed, "r:3") < strings.Index(typed, "r:5") || strings.Index(typed, "r:4") < strings.Index(typed, "r:5") {
		t.Errorf("con đường: articles with đường should all rank above those with dương: got %s", typed)
	}
	if r := searchText(t, ix, "con đường"); r.Suggestion != "" {
		t.Errorf("a query typed with diacritics got suggestion %q", r.Suggestion)
	}
}

func TestModelPersistsAndRebuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kho.bleve")
	ix, err := Create(dir, Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, ix, roadArticles)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name  string
		setup func()
	}{
		{"saved model", func() {}},
		{"missing model is rebuilt", func() { os.Remove(filepath.Join(dir, modelFile)) }},
		{"stale model is rebuilt", func() { os.WriteFile(filepath.Join(dir, modelMetaFile), []byte(`{"articles": 1}`), 0o644) }},
	} {
		step.setup()
		ix, err := Open(dir, Options{})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if r := searchText(t, ix, "duong lang"); r.Suggestion != "đường làng" {
			t.Errorf("%s: suggestion %q, want %q", step.name, r.Suggestion, "đường làng")
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestModelFollowsUpdatesAndDeletes(t *testing.T) {
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	writeAll(t, ix, roadArticles[:1])
	if r := searchText(t, ix, "duong"); r.Suggestion != "đường" {
		t.Fatalf("suggestion %q, want đường", r.Suggestion)
	}
	// The only article now says "dương" instead: the model must forget đường.
	changed := roadArticles[0]
	changed.Title, changed.Body = "Dương cầm mới", "Cây dương cầm. Dương cầm."
	changed.Published = time.Date(2024, 1, 2, 0, 0, 0, 0, hanoi)
	writeAll(t, ix, []article.Article{changed})
	if r := searchText(t, ix, "duong"); r.Suggestion != "dương" {
		t.Errorf("after update: suggestion %q, want dương", r.Suggestion)
	}
	if err := ix.Delete(context.Background(), "r:1"); err != nil {
		t.Fatal(err)
	}
	if r := searchText(t, ix, "duong"); r.Suggestion != "" {
		t.Errorf("after delete: suggestion %q from an empty archive", r.Suggestion)
	}
}

// fillerArticles give the archive realistic term statistics: most articles
// say nothing about roads.
func fillerArticles(n int) []article.Article {
	topics := []string{"Giá lúa gạo tăng nhẹ", "Học sinh nghỉ hè", "Đội tuyển thắng trận giao hữu", "Mưa lớn ở miền Trung", "Triển lãm tranh sơn mài"}
	out := make([]article.Article, n)
	for i := range out {
		t := topics[i%len(topics)]
		out[i] = article.Article{ID: fmt.Sprintf("f:%d", i), Title: t, Body: t + ". Tin tổng hợp trong tuần, số " + fmt.Sprint(i) + "."}
	}
	return out
}
