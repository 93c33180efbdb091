package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
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

// relatedArchive: two papers run the same report word for word, a third
// tells the same event in its own words, and one story is unrelated.
const relatedArchive = `{"id": "1", "source": "a.vn", "published": "2024-06-26T10:00:00+07:00", "title": "Cầu Long Biên tạm cấm xe máy để sửa chữa", "body": "Từ ngày 1/7, cầu Long Biên tạm cấm xe máy trong ba tháng để thay mặt cầu. Sở Giao thông vận tải Hà Nội đề nghị người dân đi qua cầu Chương Dương."}
{"id": "2", "source": "b.vn", "published": "2024-06-26T11:00:00+07:00", "title": "Tạm cấm xe máy qua cầu Long Biên", "body": "Từ ngày 1/7, cầu Long Biên tạm cấm xe máy trong ba tháng để thay mặt cầu. Sở Giao thông vận tải Hà Nội đề nghị người dân đi qua cầu Chương Dương."}
{"id": "3", "source": "c.vn", "published": "2024-06-27T08:00:00+07:00", "title": "Sửa mặt cầu Long Biên, người đi xe máy phải vòng qua cầu Chương Dương", "body": "Ba tháng sửa chữa cầu Long Biên bắt đầu từ 1/7; Sở Giao thông vận tải khuyến cáo xe máy đi cầu Chương Dương."}
{"id": "4", "source": "c.vn", "published": "2024-06-27T09:00:00+07:00", "title": "Giá cà phê tăng kỷ lục", "body": "Giá cà phê nhân xô ở Tây Nguyên vượt mốc mới trong tuần."}
`

func TestRelatedCommand(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive.jsonl")
	if err := os.WriteFile(archive, []byte(relatedArchive), 0o644); err != nil {
		t.Fatal(err)
	}
	ix := filepath.Join(dir, "kho.bleve")
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"ingest", "--index", ix, archive}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut.String())
	}

	out.Reset()
	if err := run(ctx, []string{"related", "--index", ix, "--json", "c.vn:3"}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Hits []struct {
			ID     string   `json:"id"`
			AlsoIn []string `json:"also_in"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("--json: %v\n%s", err, out.String())
	}
	if len(got.Hits) == 0 || (got.Hits[0].ID != "a.vn:1" && got.Hits[0].ID != "b.vn:2") {
		t.Fatalf("--json: got %s, want one copy of the report first", out.String())
	}
	want := map[string]string{"a.vn:1": "b.vn", "b.vn:2": "a.vn"}[got.Hits[0].ID]
	if len(got.Hits[0].AlsoIn) != 1 || got.Hits[0].AlsoIn[0] != want {
		t.Errorf("--json: also_in %v, want [%s]", got.Hits[0].AlsoIn, want)
	}
	for _, h := range got.Hits[1:] {
		if h.ID == "a.vn:1" || h.ID == "b.vn:2" || h.ID == "c.vn:3" {
			t.Errorf("--json: %s listed again or the article itself: %s", h.ID, out.String())
		}
	}

	out.Reset()
	if err := run(ctx, []string{"related", "--index", ix, "--size", "1", "c.vn:3"}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"1 related story", "Long Biên", "also in: " + want, "26/06/2024"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("text output lacks %q:\n%s", w, out.String())
		}
	}
}
