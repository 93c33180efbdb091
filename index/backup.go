package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// Backup writes a copy of the index to dir, which must not exist, while
// searches and writes go on. The copy is the index as of one moment: bleve
// copies one scorch snapshot, whose segment files it keeps from being merged
// away meanwhile. It is written to a hidden directory beside dir, synced to
// disk, opened to check it, and only then renamed to dir, so dir holds either
// a whole index or nothing. Backup returns the number of articles copied.
func (ix *Index) Backup(ctx context.Context, dir string) (uint64, error) {
	if ix.path == "" {
		return 0, errors.New("back up: an in-memory index has no files to copy")
	}
	if _, err := os.Lstat(dir); err == nil {
		return 0, fmt.Errorf("back up to %q: already exists; name a new directory", dir)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	copyable, ok := ix.bleve.(bleve.IndexCopyable)
	if !ok {
		return 0, errors.New("back up: this index cannot copy itself")
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return 0, fmt.Errorf("back up to %q: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return 0, fmt.Errorf("back up to %q: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // gone already when the rename succeeded
	if err := copyable.CopyTo(bleve.FileSystemDirectory(tmp)); err != nil {
		return 0, fmt.Errorf("back up to %q: %w", dir, err)
	}
	// The model may be a few writes ahead of the copied snapshot; if its
	// article count differs, the copy rebuilds it when opened.
	if err := ix.saveModel(tmp); err != nil {
		return 0, fmt.Errorf("back up to %q: %w", dir, err)
	}
	if err := syncTree(tmp); err != nil {
		return 0, fmt.Errorf("back up to %q: sync: %w", dir, err)
	}
	n, err := checkCopy(tmp)
	if err != nil {
		return 0, fmt.Errorf("back up to %q: the copy does not open: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return 0, fmt.Errorf("back up to %q: %w", dir, err)
	}
	if err := syncDir(parent); err != nil {
		return 0, fmt.Errorf("back up to %q: %w", dir, err)
	}
	return n, nil
}

// checkCopy opens a copied index as kho would and counts its articles.
func checkCopy(dir string) (uint64, error) {
	c, err := Open(dir, Options{})
	if err != nil {
		return 0, err
	}
	n, err := c.Count()
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// syncTree flushes every file and directory under root to disk: bleve
// copies segment files without syncing them.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
