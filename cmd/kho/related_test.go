package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestRelatedUsage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.bleve")
	tests := []struct {
		args  []string
		usage bool   // a usage error (exit 2)
		want  string // in the error
	}{
		{[]string{"related"}, true, "expected one article ID"},
		{[]string{"related", "a:1", "b:2"}, true, "expected one article ID"},
		{[]string{"related", "--size", "0", "a:1"}, true, "--size 0"},
		{[]string{"related", "--window", "-3", "a:1"}, true, "--window -3"},
		{[]string{"related", "--index", missing, "a:1"}, false, missing},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut)
		var ue usageError
		if err == nil || errors.As(err, &ue) != tc.usage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v (usage error: %t), want an error containing %q (usage error: %t)",
				tc.args, err, errors.As(err, &ue), tc.want, tc.usage)
		}
	}
}
