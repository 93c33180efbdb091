package index

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"kho/internal/article"
	"kho/internal/restore"
)

// outcomes collects a Writer's results.
type outcomes map[article.Outcome]int

func newTestWriter(t *testing.T, ix *Index, batch int) (*Writer, outcomes) {
	t.Helper()
	got := outcomes{}
	w := ix.NewWriter(WriterOptions{BatchSize: batch, OnResult: func(_ string, o article.Outcome) { got[o]++ }})
	return w, got
}

func testArticle(id, title string, published time.Time) *article.Article {
	from := article.FromMetadata
	if published.IsZero() {
		from = article.FromUnknown
	}
	return &article.Article{ID: "test.vn:" + id, Title: title, Body: "Nội dung " + title, Source: "test.vn",
		Published: published, PublishedFrom: from}
}

func newMemIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := NewMem(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestWriterUpsert(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	day := time.Date(2024, 6, 26, 0, 0, 0, 0, ix.Location())
	write := func(arts ...*article.Article) outcomes {
		t.Helper()
		w, got := newTestWriter(t, ix, 2) // small batches: several flushes
		for _, a := range arts {
			if err := w.Add(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := []*article.Article{testArticle("1", "Một", day), testArticle("2", "Hai", day), testArticle("3", "Ba", time.Time{})}
	if got, want := write(first...), (outcomes{article.Added: 3}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first write: %v, want %v", got, want)
	}
	if got, want := write(first...), (outcomes{article.Unchanged: 3}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("same again: %v, want %v", got, want)
	}
	changed := testArticle("2", "Hai (sửa)", day)
	if got, want := write(first[0], changed, testArticle("4", "Bốn", day)), (outcomes{article.Added: 1, article.Updated: 1, article.Unchanged: 1}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("one changed, one new: %v, want %v", got, want)
	}
	if n, _ := ix.Count(); n != 4 {
		t.Errorf("count %d, want 4", n)
	}
	a, err := ix.Article(ctx, "test.vn:2")
	if err != nil || a.Title != "Hai (sửa)" {
		t.Errorf("article 2 = %+v, %v; want the changed title", a, err)
	}
	// The same key twice in one batch: the later wins, and is counted as an update of the earlier.
	got := write(testArticle("5", "Năm", day), testArticle("5", "Năm (bản sau)", day))
	if fmt.Sprint(got) != fmt.Sprint(outcomes{article.Added: 1, article.Updated: 1}) {
		t.Errorf("duplicate key in a batch: %v", got)
	}
	if a, _ := ix.Article(ctx, "test.vn:5"); a == nil || a.Title != "Năm (bản sau)" {
		t.Errorf("duplicate key in a batch: stored %+v", a)
	}
}

func TestWriterRejectsNoKey(t *testing.T) {
	w, _ := newTestWriter(t, newMemIndex(t), 10)
	if err := w.Add(context.Background(), &article.Article{Title: "x"}); err == nil {
		t.Error("an article without a key was accepted")
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	hcm := ix.Location()
	w, _ := newTestWriter(t, ix, 100)
	arts := []*article.Article{
		// 00:30 on 1 January in Hà Nội is still 2023 in UTC: the year is the archive's.
		testArticle("1", "Năm mới", time.Date(2024, 1, 1, 0, 30, 0, 0, hcm)),
		testArticle("2", "Cuối năm", time.Date(2023, 12, 31, 23, 0, 0, 0, hcm)),
		testArticle("3", "Không ngày", time.Time{}),
		{ID: "khac.vn:1", Title: "Nguồn khác", Source: "khac.vn", Published: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), PublishedFrom: article.FromMetadata},
	}
	for _, a := range arts {
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{Articles: 4, Sources: map[string]uint64{"test.vn": 3, "khac.vn": 1},
		Years: map[string]uint64{"2023": 1, "2024": 2}, DateUnknown: 1, SchemaVersion: SchemaVersion}
	if fmt.Sprintf("%+v", *s) != fmt.Sprintf("%+v", want) {
		t.Errorf("stats %+v, want %+v", *s, want)
	}
}

func TestStatsOnDisk(t *testing.T) {
	dir := t.TempDir() + "/idx"
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w, _ := newTestWriter(t, ix, 10)
	w.Add(context.Background(), testArticle("1", "Một", time.Time{}))
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := ix.Stats(context.Background())
	if err != nil || s.SizeBytes <= 0 || s.Articles != 1 {
		t.Errorf("stats %+v, %v; want one article and a size on disk", s, err)
	}
}

// Every article is stored once, results come back in the order of Add, and
// a key seen again in a later batch ends with the later record.
func TestWriterLaterRecordWins(t *testing.T) {
	ctx := context.Background()
	ix := newMemIndex(t)
	var keys []string
	var results []article.Outcome
	w := ix.NewWriter(WriterOptions{BatchSize: 3, OnResult: func(key string, o article.Outcome) {
		keys = append(keys, key)
		results = append(results, o)
	}})
	var want []string
	for i := range 40 {
		a := testArticle(fmt.Sprint(i%25), fmt.Sprintf("Bài %d", i), time.Time{})
		want = append(want, a.ID)
		if err := w.Add(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("results in order\n%v, want\n%v", keys, want)
	}
	counts := outcomes{}
	for _, o := range results {
		counts[o]++
	}
	if fmt.Sprint(counts) != fmt.Sprint(outcomes{article.Added: 25, article.Updated: 15}) {
		t.Errorf("outcomes %v", counts)
	}
	if n, _ := ix.Count(); n != 25 {
		t.Errorf("count %d, want 25", n)
	}
	for i := 15; i < 25; i++ { // written once
		a, err := ix.Article(ctx, fmt.Sprint("test.vn:", i))
		if err != nil || a.Title != fmt.Sprintf("Bài %d", i) {
			t.Errorf("article %d: %+v, %v", i, a, err)
		}
	}
	for i := range 15 { // written twice: the later record wins
		a, err := ix.Article(ctx, fmt.Sprint("test.vn:", i))
		if err != nil || a.Title != fmt.Sprintf("Bài %d", i+25) {
			t.Errorf("article %d: %+v, %v; want the later record", i, a, err)
		}
	}
}

// In bulk mode bleve persists batches in the background; Flush returns once
// they are on disk, so closing right after loses nothing.
func TestWriterBulkIsDurableAfterFlush(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir() + "/idx"
	ix, err := Create(dir, Options{Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	w := ix.NewWriter(WriterOptions{BatchSize: 7})
	for i := range 100 {
		if err := w.Add(ctx, testArticle(fmt.Sprint(i), fmt.Sprintf("Bài %d", i), time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.Count(); n != 100 || err != nil {
		t.Errorf("reopened: %d articles, %v; want 100", n, err)
	}
}

// A bulk load into an empty index looks up only the keys it has written
// before; a key met again must still be found, whether its record changed
// or not, and a second load must find every key.
func TestWriterBulkLoadFindsRepeatedKeys(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(t.TempDir()+"/idx", Options{Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	load := func() outcomes {
		t.Helper()
		w, got := newTestWriter(t, ix, 4)
		for i := range 30 {
			title := fmt.Sprintf("Bài %d", i%20)
			if i >= 25 { // five keys again with a new text
				title += " (sửa)"
			}
			if err := w.Add(ctx, testArticle(fmt.Sprint(i%20), title, time.Time{})); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got, want := load(), (outcomes{article.Added: 20, article.Unchanged: 5, article.Updated: 5}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first load: %v, want %v", got, want)
	}
	if n, _ := ix.Count(); n != 20 {
		t.Errorf("count %d, want 20", n)
	}
	if got, want := load(), (outcomes{article.Unchanged: 20, article.Updated: 10}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("second load: %v, want %v", got, want)
	}
}

// The writer teaches the diacritics model from the forms its analysis made;
// the model must be the one Model.Add makes of the same prose (which is
// how it is rebuilt from the stored articles), updates included.
func TestWriterTeachesModelAsAdd(t *testing.T) {
	ctx := context.Background()
	nfd := "Ho\u0300a Bi\u0300nh" // decomposed marks
	arts := []*article.Article{
		{ID: "m:1", Title: "HÀ NỘI: Người dân đi bầu", Summary: "Sáng 26/11, cử tri " + nfd + " đi bầu.",
			Body: "Dân vận khéo — hoà hợp; thuỷ lợi_và khoẻ mạnh!\nTP.HCM 2024 có 12,5 % tăng", Captions: []string{"Ảnh: Ông A", "Cử tri xếp hàng"}},
		{ID: "m:2", Title: "Tin ngắn", Body: "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop dài quá; Việt Nam vô địch"},
		{ID: "m:3", Title: "Không thân bài"},
	}
	want := restore.NewModel()
	learn := func(a *article.Article, add bool) {
		for _, text := range proseOf(a) {
			if add {
				want.Add(text)
			} else {
				want.Remove(text)
			}
		}
	}
	ix := newMemIndex(t)
	write := func(arts ...*article.Article) {
		t.Helper()
		w, _ := newTestWriter(t, ix, 100) // one batch: the order of learning is the order of Add
		for _, a := range arts {
			if err := w.Add(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	compare := func(when string) {
		t.Helper()
		compareModels(t, when, ix.dia.model, want)
	}
	write(arts...)
	for _, a := range arts {
		learn(a, true)
	}
	compare("added")
	changed := *arts[0]
	changed.Body = "Nội dung mới: Đà Nẵng mưa to"
	write(&changed)
	learn(arts[0], false)
	learn(&changed, true)
	compare("updated")
}

// The syllable caches that keep each syllable's id in the diacritics model
// are shared by every index of a process: an index written after another,
// whose model numbered the same syllables otherwise, must learn its own
// ids, as Model.Add would.
func TestWriterTeachesEachIndexItsModel(t *testing.T) {
	ctx := context.Background()
	texts := [][]string{
		{"Đà Nẵng mưa to, Hà Nội nắng", "Mưa to ở Đà Nẵng và Huế"},
		{"Hà Nội nắng nóng, Huế mưa", "Nắng nóng kéo dài ở Hà Nội"},
	}
	for round, bodies := range texts {
		ix := newMemIndex(t)
		want := restore.NewModel()
		w, _ := newTestWriter(t, ix, 100)
		for i, body := range bodies {
			a := &article.Article{ID: fmt.Sprintf("r%d:%d", round, i), Title: "Thời tiết", Body: body}
			if err := w.Add(ctx, a); err != nil {
				t.Fatal(err)
			}
			for _, text := range proseOf(a) {
				want.Add(text)
			}
		}
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		compareModels(t, fmt.Sprintf("index %d", round), ix.dia.model, want)
	}
}

// compareModels fails the test when the writer's model saves other bytes
// than want, the one Model.Add made of the same prose.
func compareModels(t *testing.T, when string, writer, want *restore.Model) {
	t.Helper()
	var got, exp bytes.Buffer
	if _, err := writer.WriteTo(&got); err != nil {
		t.Fatal(err)
	}
	if _, err := want.WriteTo(&exp); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), exp.Bytes()) {
		t.Errorf("%s: the writer's model (%+v) differs from Model.Add's (%+v)", when, writer.Stats(), want.Stats())
	}
}
