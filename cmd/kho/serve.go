package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"kho/index"
	"kho/internal/server"
	"kho/internal/web"
)

const defaultIndex = "data/kho.bleve"

// writeTokenEnv names the environment variable that may hold the write token
// instead of --write-token-file.
const writeTokenEnv = "KHO_WRITE_TOKEN"

// minTokenLen keeps out tokens short enough to guess.
const minTokenLen = 16

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	indexDir := fs.String("index", defaultIndex, "index directory")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	tokenFile := fs.String("write-token-file", "", "file holding the bearer token that allows POST and DELETE /api/articles (or set "+writeTokenEnv+")")
	maxBody := fs.Int64("max-body", server.DefaultMaxBody, "largest request body in bytes")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if *maxBody <= 0 {
		return usageError{fmt.Sprintf("--max-body must be positive, got %d", *maxBody)}
	}
	token, err := writeToken(*tokenFile, os.Getenv(writeTokenEnv))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ix, err := index.Open(*indexDir, index.Options{})
	if err != nil {
		return err
	}
	defer func() {
		if err := ix.Close(); err != nil {
			log.Error("close index", "err", err)
		}
	}()
	srv, err := server.New(server.Config{
		Index: ix, Log: log, WriteToken: token, MaxBody: *maxBody,
		Pages: web.New(ix, log),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	n, _ := ix.Count()
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "index", *indexDir, "articles", n, "writes", token != "")
	fmt.Fprintf(stdout, "kho: serving %d articles on http://%s\n", n, ln.Addr())
	return srv.Run(ctx, ln)
}

// writeToken reads the write token from a file (which wins) or the
// environment; "" means writes are refused.
func writeToken(file, env string) (string, error) {
	token, from := strings.TrimSpace(env), "$"+writeTokenEnv
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read write token: %w", err)
		}
		token, from = strings.TrimSpace(string(b)), file
		if token == "" {
			return "", fmt.Errorf("write token file %s is empty", file)
		}
	}
	if token != "" && len(token) < minTokenLen {
		return "", errors.New("write token from " + from + " is too short: use at least " +
			fmt.Sprint(minTokenLen) + " characters, e.g. the output of: openssl rand -hex 32")
	}
	return token, nil
}
