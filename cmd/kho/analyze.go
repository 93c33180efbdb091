package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"kho/index"
)

func runAnalyze(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per input")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho analyze [--json] [TEXT...]\n\nWith no TEXT, reads one input per line from stdin and writes one JSON object per line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return printAnalysis(stdout, index.Analyze(strings.Join(fs.Args(), " ")), *asJSON)
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := printAnalysis(stdout, index.Analyze(sc.Text()), true); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	return nil
}

func printAnalysis(w io.Writer, a index.Analysis, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(a)
	}
	_, err := fmt.Fprintf(w, "normalized:   %s\nfolded:       %s\nexact terms:  %s\nfolded terms: %s\n",
		a.Normalized, a.Folded, strings.Join(a.ExactTerms, " | "), strings.Join(a.FoldedTerms, " | "))
	return err
}
