package index

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenRefusesOtherSchemaVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.bleve.SetInternal(keySchemaVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	_, err = Open(dir, Options{})
	if !errors.Is(err, ErrSchemaVersion) {
		t.Fatalf("Open of a version-0 index: %v, want ErrSchemaVersion", err)
	}
	for _, want := range []string{`"0"`, "rebuild", "remove " + dir, "kho ingest"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q should say %q", err, want)
		}
	}
}

func TestOpenRefusesIndexInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	_, err = Open(dir, Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "kho serve or kho ingest") {
		t.Fatalf("second Open: %v, want ErrLocked saying who holds it", err)
	}
	if _, err := OpenOrCreate(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("OpenOrCreate of an index in use: %v, want ErrLocked", err)
	}
}

func TestCreateLeavesOnlyTheIndex(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "ix")
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Path() != dir {
		t.Errorf("Path() = %q, want %q", ix.Path(), dir)
	}
	ix.Close()
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "ix" {
		t.Errorf("after Create the parent holds %v, want only ix", entries)
	}
	if _, err := Create(dir, Options{}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Create over an index: %v", err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	ix.Close()
}
