package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"kho/index"
	"kho/internal/server"
)

func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	indexDir := fs.String("index", defaultIndex, "index directory")
	out := fs.String("out", "", "directory to write the copy to; must not exist")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho backup [--index DIR] --out DIR\n\nCopies the index consistently, also while kho serve runs on it.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 || *out == "" {
		return usageError{"kho backup: --out DIR is required and no arguments are taken"}
	}
	dest, err := filepath.Abs(*out)
	if err != nil {
		return fmt.Errorf("back up to %q: %w", *out, err)
	}
	n, how, err := backup(ctx, *indexDir, dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "kho: backed up %d articles from %s to %s (%s)\n", n, *indexDir, dest, how)
	return nil
}

// backup asks the kho serve running on the index for the copy, since it
// holds the index's lock; with no server running it opens the index itself.
func backup(ctx context.Context, indexDir, out string) (uint64, string, error) {
	n, err := server.RequestBackup(ctx, indexDir, out)
	if !errors.Is(err, server.ErrNoServer) {
		return n, "made by the running kho serve", err
	}
	ix, err := index.Open(indexDir, index.Options{})
	if errors.Is(err, index.ErrLocked) {
		return 0, "", fmt.Errorf("back up %s: it is open in a kho ingest (no kho serve answers on it); "+
			"back up when the ingest has finished: %w", indexDir, err)
	}
	if err != nil {
		return 0, "", err
	}
	n, err = ix.Backup(ctx, out)
	if cerr := ix.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close index: %w", cerr)
	}
	return n, "index opened directly", err
}
