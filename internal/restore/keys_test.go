package restore

import (
	"testing"

	"kho/internal/vntext"
)

func TestDecodeKeys(t *testing.T) {
	tests := []struct {
		typed string
		want  string // "" when the token must not be read as keystrokes
	}{
		// Telex
		{"vieejt", "việt"},
		{"Vieejt", "việt"},
		{"vieetj", "việt"},
		{"dduwowngf", "đường"},
		{"dduowngf", "đường"},
		{"nguowif", "người"},
		{"nguoiwf", "người"},
		{"hoaf", "hòa"},
		{"ddaay", "đây"},
		{"tooi", "tôi"},
		{"thuyr", "thủy"},
		{"quys", "quý"},
		{"gif", "gì"},
		{"giuwxa", "giữa"},
		{"nhwng", "nhưng"},
		{"hoawcj", "hoặc"},
		{"khoer", "khỏe"},
		{"tieengs", "tiếng"},
		{"chuyeenj", "chuyện"},
		{"vieet", "viêt"}, // no tone key: the model picks the tone
		// VNI
		{"Vie6t", "viêt"},
		{"vie6t5", "việt"},
		{"d9u7o7ng2", "đường"},
		{"d9uo7ng2", "đường"},
		{"to6i", "tôi"},
		{"hoa2", "hòa"},
		{"ngu7o7i2", "người"},
		// not keystrokes: English words, codes, plain syllables
		{"deadline", ""},
		{"smartphone", ""},
		{"facebook", ""},
		{"iphone", ""},
		{"free", ""},
		{"coffee", ""},
		{"google", ""},
		{"windows", ""},
		{"pizza", ""},
		{"u23", ""},
		{"covid19", ""},
		{"mp3", ""},
		{"h5n1", ""},
		{"2024", ""},
		{"ban", ""},
		{"toz", ""},
		{"aaa", ""},
		{"viềt", ""},
	}
	for _, tt := range tests {
		got, ok := decodeKeys(tt.typed)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("decodeKeys(%q) = %q, %v; want %q", tt.typed, got, ok, tt.want)
		}
	}
}

func TestParseSyllable(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"hòa", true}, {"người", true}, {"quý", true}, {"gì", true}, {"giữa", true},
		{"khuỷu", true}, {"nghiêng", true}, {"xoong", true}, {"đường", true}, {"việt", true},
		{"chuyện", true}, {"huỳnh", true}, {"oanh", true}, {"yêu", true}, {"ăn", true},
		{"ban", true}, {"a", true}, {"thuở", true},
		{"frê", false}, {"cofê", false}, {"gôgle", false}, {"ka", false}, {"ce", false},
		{"nghua", false}, {"ging", false}, {"viềt", false}, {"ngoo", false}, {"ăm", true},
		{"ă", false}, {"smart", false}, {"phone", false}, {"deadline", false}, {"", false},
		{"bcd", false}, {"ìnhh", false}, {"áà", false},
	}
	for _, tt := range tests {
		if _, got := parseSyllable(tt.s); got != tt.want {
			t.Errorf("parseSyllable(%q) valid = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// TestTonePlacementMatchesNormalize: syllables decoded from keystrokes must
// be spelled like the model's forms, which vntext.Normalize wrote.
func TestTonePlacementMatchesNormalize(t *testing.T) {
	for _, s := range []string{"hòa", "hoà", "khỏe", "khoẻ", "thủy", "thuỷ", "toàn", "huỳnh", "người",
		"chuyện", "quý", "già", "ngoài", "khuỷu", "ngoằn", "hoặc", "thuở", "giữa", "gì", "yến", "oải", "uống"} {
		syl, ok := parseSyllable(s)
		if !ok {
			t.Errorf("parseSyllable(%q) failed", s)
			continue
		}
		if got, want := syl.String(), vntext.Normalize(s); got != want {
			t.Errorf("%q: placed as %q, vntext.Normalize gives %q", s, got, want)
		}
	}
}
