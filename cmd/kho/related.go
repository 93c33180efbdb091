package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"kho/index"
	"kho/internal/httpapi"
)

func runRelated(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("related", flag.ContinueOnError)
	fs.SetOutput(stderr)
	indexDir := fs.String("index", defaultIndex, "index directory")
	size := fs.Int("size", 10, "stories to show (1–100)")
	window := fs.Int("window", 0, "only stories published within this many days of the article (0: any date)")
	asJSON := fs.Bool("json", false, "print the same JSON object as GET /api/articles/{id}/related")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho related [--index DIR] [--size N] [--window DAYS] [--json] ID\n\n"+
			"Lists the archive's other stories on the same event as the article ID.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	switch {
	case fs.NArg() != 1:
		return usageError{"related: expected one article ID, got " + fmt.Sprint(fs.NArg())}
	case *size < 1 || *size > 100:
		return usageError{fmt.Sprintf("related: --size %d: must be 1–100", *size)}
	case *window < 0:
		return usageError{fmt.Sprintf("related: --window %d: must be 0 or more days", *window)}
	}
	ix, err := index.Open(*indexDir, index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	hits, err := ix.Related(ctx, index.RelatedRequest{ID: fs.Arg(0), Size: *size, WindowDays: *window})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(httpapi.RelatedResponse(hits))
	}
	printRelated(stdout, hits)
	return nil
}

func printRelated(w io.Writer, hits []index.Hit) {
	noun := "stories"
	if len(hits) == 1 {
		noun = "story"
	}
	fmt.Fprintf(w, "%d related %s\n", len(hits), noun)
	for i, h := range hits {
		date := "date unknown"
		if !h.Published.IsZero() {
			date = h.Published.Format("02/01/2006")
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s · %s · %s\n", i+1, h.Title, h.ID, h.Source, date)
		if len(h.AlsoIn) > 0 {
			fmt.Fprintf(w, "   also in: %s\n", strings.Join(h.AlsoIn, ", "))
		}
		fmt.Fprintf(w, "   %s\n", plain(h.Snippet))
	}
}
