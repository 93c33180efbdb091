package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command runs one subcommand with its own arguments (the subcommand name removed).
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"analyze":      {"show how kho normalizes, folds and tokenizes text", runAnalyze},
		"backup":       {"copy the index consistently, also while kho serve runs", runBackup},
		"bench":        {"compare kho with an SQLite FTS5 baseline on an archive: ingest, size, latency, memory", runBench},
		"bench-ingest": {"measure ingest speed and memory on a fresh index", runBenchIngest},
		"bench-search": {"measure search latency and throughput on an index", runBenchSearch},
		"ingest":       {"read archives (JSON Lines, JSON, text or HTML pages) into the index", runIngest},
		"related":      {"list the stories related to an article", runRelated},
		"search":       {"search an index from the command line", runSearch},
		"serve":        {"serve the search API and web pages", runServe},
		"stats":        {"count the articles of the index by source and year", runStats},
	}
}

// usageError is a mistake in how kho was called; main exits 2 for it.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError ends kho with a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kho:", err)
		var ue usageError
		var ee exitError
		switch {
		case errors.As(err, &ue):
			os.Exit(2)
		case errors.As(err, &ee):
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage(cmds))
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("unknown command %q\n\n%s", args[0], usage(cmds))}
	}
	return c.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(cmds map[string]command) string {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: kho COMMAND [flags] [args]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nkho COMMAND -h shows the flags of a command.\n")
	return b.String()
}
