package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"kho/index"
	"kho/internal/httpapi"
	"kho/internal/request"
)

func runSearch(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	indexDir := fs.String("index", defaultIndex, "index directory")
	asJSON := fs.Bool("json", false, "print the same JSON object as GET /api/search")
	size := fs.Int("size", 10, "results to show (1–100)")
	sortBy := fs.String("sort", "relevance", "relevance, newest or oldest")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	ix, err := index.Open(*indexDir, index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	params := url.Values{"q": {strings.Join(fs.Args(), " ")}, "size": {fmt.Sprint(*size)}, "sort": {*sortBy}}
	req, err := request.ParseSearch(params, ix.Location())
	if err != nil {
		return usageError{err.Error()}
	}
	res, err := ix.Search(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(httpapi.SearchResponse(req.Text, req, res))
	}
	printHits(stdout, res)
	return nil
}

func printHits(w io.Writer, res *index.SearchResult) {
	fmt.Fprintf(w, "%d results (%.1f ms)\n", res.Total, float64(res.Took.Microseconds())/1000)
	if res.Suggestion != "" {
		fmt.Fprintf(w, "did you mean: %s\n", res.Suggestion)
	}
	for i, h := range res.Hits {
		date := "date unknown"
		if !h.Published.IsZero() {
			date = h.Published.Format("02/01/2006")
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s · %s · %s\n   %s\n", i+1, h.Title, h.ID, h.Source, date, plain(h.Snippet))
	}
}

// plain turns a highlighted snippet into terminal text.
func plain(html string) string {
	r := strings.NewReplacer("<mark>", "", "</mark>", "", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'")
	return r.Replace(html)
}
