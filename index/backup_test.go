package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kho/internal/query"
)

// diskIndex creates an index on disk with n articles written in batches.
func diskIndex(t *testing.T, n, batch int) *Index {
	t.Helper()
	ix, err := Create(filepath.Join(t.TempDir(), "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	writeBatches(t, ix, 0, n, batch)
	return ix
}

// writeBatches writes articles first..first+n-1, batch by batch.
func writeBatches(t *testing.T, ix *Index, first, n, batch int) {
	ctx := context.Background()
	day := time.Date(2023, 3, 1, 0, 0, 0, 0, ix.Location())
	w := ix.NewWriter(WriterOptions{BatchSize: batch})
	for i := first; i < first+n; i++ {
		words := []string{"mưa lũ miền Trung", "giá vàng tăng", "học sinh đến trường"}[i%3]
		if err := w.Add(ctx, testArticle(fmt.Sprint(i), fmt.Sprintf("Tin %d: %s", i, words), day.AddDate(0, 0, i%400))); err != nil {
			t.Error(err)
			return
		}
	}
	if err := w.Flush(ctx); err != nil {
		t.Error(err)
	}
}

func searchTotal(t *testing.T, ix *Index, q string) uint64 {
	t.Helper()
	req := SearchRequest{Text: q, Page: 1, Size: 10}
	if q != "" {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		req.Query = n
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestBackupCopiesTheIndex(t *testing.T) {
	ctx := context.Background()
	ix := diskIndex(t, 300, 50)
	if err := ix.Delete(ctx, "test.vn:7"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backups", "ix-copy")
	n, err := ix.Backup(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 299 {
		t.Errorf("Backup copied %d articles, want 299", n)
	}
	cp, err := Open(out, Options{})
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer cp.Close()
	for _, q := range []string{"", "mua lu", "giá vàng", `"học sinh"`, "tin -vàng"} {
		if got, want := searchTotal(t, cp, q), searchTotal(t, ix, q); got != want || want == 0 {
			t.Errorf("search %q: the copy finds %d, the index %d", q, got, want)
		}
	}
	s1, _ := ix.Stats(ctx)
	s2, _ := cp.Stats(ctx)
	s1.SizeBytes, s2.SizeBytes = 0, 0
	if fmt.Sprint(s1) != fmt.Sprint(s2) {
		t.Errorf("stats of the copy %+v, of the index %+v", s2, s1)
	}
	if _, err := cp.Article(ctx, "test.vn:7"); err == nil {
		t.Error("the copy has the deleted article")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("the backup left %d entries beside the copy", len(entries)-1)
	}
}

// A backup taken while articles are written holds whole batches: a batch is
// all in the copy or not at all.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	const batch = 25
	ix := diskIndex(t, 100, batch)
	var wg sync.WaitGroup
	wg.Go(func() { writeBatches(t, ix, 100, 400, batch) })
	wg.Go(func() { // searches go on too
		for range 20 {
			searchTotal(t, ix, "tin")
		}
	})
	var copies []uint64
	for i := range 3 {
		n, err := ix.Backup(ctx, filepath.Join(t.TempDir(), fmt.Sprint("copy", i)))
		if err != nil {
			t.Fatal(err)
		}
		copies = append(copies, n)
	}
	wg.Wait()
	t.Logf("copies hold %v articles", copies)
	for i, n := range copies {
		if n < 100 || n > 500 || n%batch != 0 {
			t.Errorf("copy %d holds %d articles: want whole batches of %d between 100 and 500", i, n, batch)
		}
		if i > 0 && n < copies[i-1] {
			t.Errorf("copy %d holds %d articles, fewer than copy %d before it (%d)", i, n, i-1, copies[i-1])
		}
	}
}

func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	ix := diskIndex(t, 3, 10)
	existing := t.TempDir()
	if _, err := ix.Backup(ctx, existing); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing directory: %v", err)
	}
	mem := newMemIndex(t)
	if _, err := mem.Backup(ctx, filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("backup of an in-memory index should fail")
	}
}
