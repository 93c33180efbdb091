package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"kho/index"
)

func runStats(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	asJSON := fs.Bool("json", false, "print the statistics as one JSON object")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho stats [--index DIR] [--json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("kho stats takes no arguments, got %q", fs.Args())}
	}
	if _, err := os.Stat(*dir); err != nil {
		return fmt.Errorf("no index at %s (run kho ingest first): %w", *dir, err)
	}
	ix, err := index.Open(*dir, index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	s, err := ix.Stats(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(s)
	}
	return printStats(stdout, s)
}

func printStats(w io.Writer, s *index.Stats) error {
	fmt.Fprintf(w, "articles        %d\n", s.Articles)
	fmt.Fprintf(w, "date unknown    %d\n", s.DateUnknown)
	fmt.Fprintf(w, "size on disk    %.1f MB\n", float64(s.SizeBytes)/(1<<20))
	fmt.Fprintf(w, "schema version  %d\n", s.SchemaVersion)
	fmt.Fprintln(w, "sources")
	for _, k := range sortedKeys(s.Sources, true) {
		fmt.Fprintf(w, "  %-30s %d\n", k, s.Sources[k])
	}
	fmt.Fprintln(w, "years")
	for _, k := range sortedKeys(s.Years, false) {
		fmt.Fprintf(w, "  %-30s %d\n", k, s.Years[k])
	}
	return nil
}

// sortedKeys orders by count (largest first) or by key.
func sortedKeys(m map[string]uint64, byCount bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if byCount && m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
