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
	"kho/internal/legacy"
)

func runAnalyze(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per input")
	var enc legacy.Encoding
	fs.Var(&enc, "encoding", "text encoding, as for kho ingest: auto (convert TCVN3, VNI, VISCII when detected), utf8, tcvn3, vni or viscii")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kho analyze [--json] [--encoding auto|utf8|tcvn3|vni|viscii] [TEXT...]\n\nWith no TEXT, reads one input per line from stdin and writes one JSON object per line.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return printAnalysis(stdout, analyze(strings.Join(fs.Args(), " "), enc), *asJSON)
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := printAnalysis(stdout, analyze(sc.Text(), enc), true); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	return nil
}

// analysis is what kho analyze prints: index.Analysis, and when the text
// was converted from a legacy encoding (or looked legacy), what the
// conversion gave, as ingest would do it.
type analysis struct {
	index.Analysis
	Legacy *legacyAnalysis `json:"legacy,omitempty"`
}

type legacyAnalysis struct {
	Encoding   string  `json:"encoding"`
	Converted  bool    `json:"converted"`
	Confidence float64 `json:"confidence"`
	Text       string  `json:"text"`
	Note       string  `json:"note,omitempty"`
}

func analyze(text string, enc legacy.Encoding) analysis {
	r := legacy.DecodeField(text, enc)
	a := analysis{Analysis: index.Analyze(r.Text)}
	if r.Report() {
		a.Legacy = &legacyAnalysis{r.Encoding.String(), r.Converted, r.Confidence, r.Text, r.Note}
	}
	return a
}

func printAnalysis(w io.Writer, a analysis, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(a)
	}
	if l := a.Legacy; l != nil {
		status := "kept as it was"
		if l.Converted {
			status = "converted"
		}
		if _, err := fmt.Fprintf(w, "encoding:     %s, %s (confidence %.2f)\ntext:         %s\n", l.Encoding, status, l.Confidence, l.Text); err != nil {
			return err
		}
		if l.Note != "" {
			if _, err := fmt.Fprintf(w, "note:         %s\n", l.Note); err != nil {
				return err
			}
		}
	}
	_, err := fmt.Fprintf(w, "normalized:   %s\nfolded:       %s\nexact terms:  %s\nfolded terms: %s\n",
		a.Normalized, a.Folded, strings.Join(a.ExactTerms, " | "), strings.Join(a.FoldedTerms, " | "))
	return err
}
