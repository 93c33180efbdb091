package article

import (
	"errors"
	"strings"
	"testing"
)

func TestSourceOf(t *testing.T) {
	tests := []struct{ source, url, fallback, want string }{
		{"www.TuoiTre.vn", "https://dantri.com.vn/a", "flag", "tuoitre.vn"},
		{"", "https://www.dantri.com.vn/a.htm", "flag", "dantri.com.vn"},
		{"  ", "http://baomoi.com:8080/a/c/1.epi", "flag", "baomoi.com"},
		{"", "", "flag", "flag"},
		{"", "not a url", "vims", "vims"},
	}
	for _, tt := range tests {
		if got := SourceOf(tt.source, tt.url, tt.fallback); got != tt.want {
			t.Errorf("SourceOf(%q, %q, %q) = %q, want %q", tt.source, tt.url, tt.fallback, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	byID := Key("dantri.com.vn", " 123 ", "https://x", "t", "2024", "b")
	if byID != "dantri.com.vn:123" {
		t.Errorf("record id: %q", byID)
	}
	byURL := Key("x.vn", "", "https://x.vn/a", "t", "2024", "b")
	if !strings.HasPrefix(byURL, "x.vn:u") || byURL != Key("x.vn", "", " https://x.vn/a ", "other", "", "") {
		t.Errorf("URL key %q must depend on the URL only", byURL)
	}
	byText := Key("x.vn", "", "", "t", "2024", "b")
	if !strings.HasPrefix(byText, "x.vn:h") || byText != Key("x.vn", "", "", "t", "2024", "b") {
		t.Errorf("text key %q must be stable", byText)
	}
	for _, other := range []string{Key("x.vn", "", "", "t2", "2024", "b"), Key("x.vn", "", "", "t", "2025", "b"),
		Key("x.vn", "", "", "t", "2024", "b2"), Key("x.vn", "", "", "t2024", "", "b")} {
		if other == byText {
			t.Errorf("different title, date or body gave the same key %q", other)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		a    Article
		want error
	}{
		{Article{ID: "a:1", Title: "t"}, nil},
		{Article{ID: "a:1", Body: "b"}, nil},
		{Article{ID: "a:1", Title: " ", Body: "\n"}, ErrNoText},
		{Article{ID: "a:1", Title: "t", Body: strings.Repeat("x", MaxTextBytes)}, ErrTooLarge},
		{Article{Title: "t"}, ErrNoKey},
	}
	for _, tt := range tests {
		if got := tt.a.Validate(); !errors.Is(got, tt.want) {
			t.Errorf("Validate(%.40q) = %v, want %v", tt.a.Title+tt.a.Body, got, tt.want)
		}
	}
}
