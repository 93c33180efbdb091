// Package shared finds ../shared (the corpus, the seed page and the synthetic
// archive tool) for tests and benchmarks. Tests that need it call Dir and skip
// with a message when it is absent; .ci/run sets KHO_SHARED so CI never skips.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that points at the shared folder.
const Env = "KHO_SHARED"

// Find returns the shared folder: $KHO_SHARED, else ../shared beside the
// module root found by walking up from the working directory.
func Find() (string, bool) {
	if d := os.Getenv(Env); d != "" {
		_, err := os.Stat(d)
		return d, err == nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared")
			_, err := os.Stat(d)
			return d, err == nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Dir returns the shared folder, or skips the test when it is absent. When
// KHO_SHARED is set but wrong, the test fails instead: CI must not skip.
func Dir(tb testing.TB) string {
	tb.Helper()
	d, ok := Find()
	if !ok {
		if os.Getenv(Env) != "" {
			tb.Fatalf("%s=%q does not exist", Env, os.Getenv(Env))
		}
		tb.Skip("../shared is absent; set KHO_SHARED to run corpus-backed tests")
	}
	return d
}

// Corpus returns the path of one corpus file (e.g. "tuoitre.jsonl.gz"), or skips.
func Corpus(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join(Dir(tb), "corpus", name)
}
