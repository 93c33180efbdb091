package vntext

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// The tables below are written by hand; every row is a behaviour a reader of
// search results would notice. \u escapes spell out invisible characters and
// combining marks, so each input shows what it holds.

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		// old → new tone placement in open oa, oe, uy
		{"hoà", "hòa"},
		{"hoá", "hóa"},
		{"hoả", "hỏa"},
		{"hoã", "hõa"},
		{"hoạ", "họa"},
		{"khoẻ", "khỏe"},
		{"loé", "lóe"},
		{"thuỷ", "thủy"},
		{"thuý", "thúy"},
		{"Thuỵ", "Thụy"},
		{"tuỳ", "tùy"},
		{"luỹ", "lũy"},
		{"oà", "òa"},
		{"uỷ ban", "ủy ban"},
		{"Uỷ ban", "Ủy ban"},
		// new placement stays
		{"hòa", "hòa"},
		{"khỏe", "khỏe"},
		{"thủy", "thủy"},
		{"ủy ban", "ủy ban"},
		// upper and title case keep their case
		{"HOÀ", "HÒA"},
		{"Thuỷ", "Thủy"},
		{"HOÁ HỌC", "HÓA HỌC"},
		{"THUỶ ĐIỆN", "THỦY ĐIỆN"},
		{"Khoẻ", "Khỏe"},
		{"hOÀ", "hÒA"},
		// closed syllables: the tone sits on the last vowel
		{"toàn", "toàn"},
		{"Hoàng", "Hoàng"},
		{"huỳnh", "huỳnh"},
		{"hoạch", "hoạch"},
		{"hòan", "hoàn"},
		{"tòan", "toàn"},
		{"khỏang", "khoảng"},
		{"hùynh", "huỳnh"},
		// a vowel with a hat or horn takes the tone
		{"người", "người"},
		{"chuyện", "chuyện"},
		{"tiếng", "tiếng"},
		{"muốn", "muốn"},
		{"rượu", "rượu"},
		{"cứu", "cứu"},
		{"tuổi", "tuổi"},
		{"thuở", "thuở"},
		{"huơ", "huơ"},
		{"nghiêng", "nghiêng"},
		{"khuya", "khuya"},
		{"ngừơi", "người"},
		{"trừơng", "trường"},
		{"lựơng", "lượng"},
		{"chuỵên", "chuyện"},
		{"tíêng", "tiếng"},
		{"múôn", "muốn"},
		{"rựơu", "rượu"},
		// a missing horn of ươ is restored
		{"ngưòi", "người"},
		{"nguời", "người"},
		{"luơng", "lương"},
		{"ngưoi", "ngươi"},
		// qu and gi are consonants
		{"quý", "quý"},
		{"quá", "quá"},
		{"quà", "quà"},
		{"quỳnh", "quỳnh"},
		{"quyển", "quyển"},
		{"quyết", "quyết"},
		{"quốc", "quốc"},
		{"qúy", "quý"},
		{"qúa", "quá"},
		{"già", "già"},
		{"giữ", "giữ"},
		{"giữa", "giữa"},
		{"giường", "giường"},
		{"giấy", "giấy"},
		{"gì", "gì"},
		{"gìn", "gìn"},
		{"gìa", "già"},
		// three vowels: the middle one
		{"ngoài", "ngoài"},
		{"ngòai", "ngoài"},
		{"ngoaì", "ngoài"},
		{"xoáy", "xoáy"},
		{"xóay", "xoáy"},
		{"khuỷu", "khuỷu"},
		{"khủyu", "khuỷu"},
		{"ngoẹo", "ngoẹo"},
		// two vowels, open: the first one
		{"mùa", "mùa"},
		{"muà", "mùa"},
		{"của", "của"},
		{"cuả", "của"},
		{"miá", "mía"},
		{"taì", "tài"},
		{"baỏ", "bảo"},
		{"maý", "máy"},
		{"nuí", "núi"},
		{"gưỉ", "gửi"},
		// not Vietnamese syllables: left alone
		{"the", "the"},
		{"café", "café"},
		{"José", "José"},
		{"résumé", "résumé"},
		{"Pokémon", "Pokémon"},
		{"naïve", "naïve"},
		{"Covid-19", "Covid-19"},
		{"2024", "2024"},
		{"O'Neill", "O'Neill"},
		{"ĐBSCL", "ĐBSCL"},
		{"Xêút", "Xêút"}, // êu ends a syllable
		{"Léon", "Léon"}, // so does eo
		{"tàon", "tàon"}, // and ao
		{"Noọc", "Noọc"}, // oo needs a final consonant
		{"ruợu", "rượu"}, // uơ followed by a vowel is ươ
		{"thưở", "thưở"}, // ươ needs a final consonant: not a syllable
		// NFD input
		{"hoa\u0300", "hòa"},
		{"Nguye\u0302\u0303n", "Nguyễn"},
		{"thu\u0309y", "thủy"},
		{"ngu\u031bo\u031b\u0300i", "người"},
		{"Đa\u0300 Na\u0306\u0303ng", "Đà Nẵng"},
		// marks in a non-canonical order
		{"ẹ\u0302", "ệ"},
		{"chuyẹ\u0302n", "chuyện"},
		{"vạ\u0302t", "vật"},
		{"e\u0323\u0302", "ệ"},
		{"o\u0301\u031b", "ớ"},
		// repairs of Clean
		{"thị\u0323 xã", "thị xã"},
		{"đượ\u0323c", "được"},
		{"Ðà Nẵng", "Đà Nẵng"},
		{"a\u00a0b", "a b"},
		// phrases
		{"Hoà bình thuỷ lợi", "Hòa bình thủy lợi"},
		{"Sức khoẻ là vàng", "Sức khỏe là vàng"},
		{"Uỷ ban nhân dân tỉnh Khánh Hoà", "Ủy ban nhân dân tỉnh Khánh Hòa"},
		{"Thuỵ Điển và Thuỵ Sĩ", "Thụy Điển và Thụy Sĩ"},
		{"hoá đơn điện tử", "hóa đơn điện tử"},
		{"bắt_đầu hoà_giải", "bắt_đầu hòa_giải"},
		{"“Hoà” – 2024…", "“Hòa” – 2024…"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"aàảãáạ", "aaaaaa"},
		{"ăằẳẵắặ", "aaaaaa"},
		{"âầẩẫấậ", "aaaaaa"},
		{"eèẻẽéẹ", "eeeeee"},
		{"êềểễếệ", "eeeeee"},
		{"iìỉĩíị", "iiiiii"},
		{"oòỏõóọ", "oooooo"},
		{"ôồổỗốộ", "oooooo"},
		{"ơờởỡớợ", "oooooo"},
		{"uùủũúụ", "uuuuuu"},
		{"ưừửữứự", "uuuuuu"},
		{"yỳỷỹýỵ", "yyyyyy"},
		{"AÀẢÃÁẠ", "aaaaaa"},
		{"ĂẰẲẴẮẶ", "aaaaaa"},
		{"ÂẦẨẪẤẬ", "aaaaaa"},
		{"EÈẺẼÉẸ", "eeeeee"},
		{"ÊỀỂỄẾỆ", "eeeeee"},
		{"IÌỈĨÍỊ", "iiiiii"},
		{"OÒỎÕÓỌ", "oooooo"},
		{"ÔỒỔỖỐỘ", "oooooo"},
		{"ƠỜỞỠỚỢ", "oooooo"},
		{"UÙỦŨÚỤ", "uuuuuu"},
		{"ƯỪỬỮỨỰ", "uuuuuu"},
		{"YỲỶỸÝỴ", "yyyyyy"},
		{"đ", "d"},
		{"Đ", "d"},
		{"Ð", "d"},
		{"ð", "d"},
		{"Đường", "duong"},
		{"Hà Nội", "ha noi"},
		{"Dân vận khéo", "dan van kheo"},
		{"Hoà bình", "hoa binh"},
		{"Nguye\u0302\u0303n", "nguyen"},
		{"ngu\u031bo\u031b\u0300i", "nguoi"},
		{"A\u0301", "a"},
		{"thị\u0323", "thi"},
		{"TP.HCM", "tp.hcm"},
		{"COVID-19", "covid-19"},
		{"already folded", "already folded"},
		{"Muñoz", "munoz"},
		{"Ölçü", "olcu"},
		{"Ærø", "ærø"},
		{"Straße", "straße"},
		{"ΑΘΉΝΑ", "αθηνα"},
		{"Москва", "москва"},
		{"北京", "北京"},
		{"😀", "😀"},
		{"a\u00a0b", "a b"},
		{"a\u200bb", "ab"},
		{"x\u00ady", "xy"},
		{"line1\r\nline2", "line1\nline2"},
		{"\xff", "\uFFFD"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
		if got := string(AppendFold([]byte("x:"), tt.in)); got != "x:"+tt.want {
			t.Errorf("AppendFold(x:, %+q) = %+q, want %+q", tt.in, got, "x:"+tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"“Hà Nội” – 2024…", "“Hà Nội” – 2024…"},
		// stray marks: a second mark of the class its letter already has
		{"thị\u0323", "thị"},
		{"đượ\u0323c", "được"},
		{"thuỵ\u0323", "thuỵ"},
		{"miể\u0303n", "miển"},
		{"đôí\u0300", "đôí"},
		{"Sơ\u031bn", "Sơn"},
		{"a\u0301\u0301", "a\u0301"},
		{"e\u0302\u0302", "e\u0302"},
		// a tone on a consonant of a toned syllable; isolated marks
		{"Lạng\u0323", "Lạng"},
		{"thi \u0323trường", "thi trường"},
		{",\u0300 sinh", ", sinh"},
		{"\u0300abc", "abc"},
		// legitimate marks stay (Clean does not compose)
		{"a\u0301", "a\u0301"},
		{"ẹ\u0302", "ẹ\u0302"},
		{"Kr\u0323s\u0323n\u0323a", "Kr\u0323s\u0323n\u0323a"},
		// spaces
		{"a\u00a0b", "a b"},
		{"a\u202fb", "a b"},
		{"a\u2007b", "a b"},
		{"a\u3000b", "a b"},
		{"a\u2028b", "a\nb"},
		// invisible characters
		{"a\u200bb", "ab"},
		{"a\u200cb\u200dc", "abc"},
		{"a\u2060b", "ab"},
		{"\ufeffa", "a"},
		{"Chất l\u00adượng", "Chất lượng"},
		{"l\u200eý", "lý"},
		// control characters
		{"a\x08b", "ab"},
		{"a\x00b", "ab"},
		{"a\u0096b", "ab"},
		{"a\x7fb", "ab"},
		{"a\tb\nc", "a\tb\nc"},
		{"a\r\nb", "a\nb"},
		{"a\rb", "a\nb"},
		// Ð/ð typed for Đ/đ
		{"ÐBSCL", "ĐBSCL"},
		{"ðường", "đường"},
		// invalid UTF-8: one U+FFFD per bad byte
		{"\xffa", "\uFFFDa"},
		{"a\xe1\xba", "a\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestRepair(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hoa\u0300", "hoà"}, // composed, old placement kept: the spelling is the paper's
		{"thuỷ", "thuỷ"},
		{"Nguye\u0302\u0303n", "Nguyễn"},
		{"chuyẹ\u0302n", "chuyện"},
		{"ạ\u0302", "ậ"},
		{"thị\u0323 xã", "thị xã"},
		{"miể\u0303n phí", "miển phí"},
		{"Ðà\u00a0Nẵng\u200b", "Đà Nẵng"},
	}
	for _, tt := range tests {
		if got := Repair(tt.in); got != tt.want {
			t.Errorf("Repair(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestHasDiacritics(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"ha noi", false},
		{"Duong", false},
		{"the", false},
		{"Hà Nội", true},
		{"đ", true},
		{"Đ", true},
		{"Ð", true},
		{"ă", true},
		{"ơ", true},
		{"a\u0301", true},
		{"a\u0302", true},
		{"café", true},
		{"Muñoz", false},
		{"naïve", false},
	}
	for _, tt := range tests {
		if got := HasDiacritics(tt.in); got != tt.want {
			t.Errorf("HasDiacritics(%+q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestSyllables(t *testing.T) {
	tests := []struct {
		in   string
		want string // tokens as text@start-end
	}{
		{"", ""},
		{"Hà Nội", "Hà@0-3 Nội@4-9"},
		{"  Hà,Nội. ", "Hà@2-5 Nội@6-11"},
		{"bắt_đầu", "bắt@0-5 đầu@6-12"},
		{"O'Neill", "O@0-1 Neill@2-7"},
		{"Covid-19", "Covid@0-5 19@6-8"},
		{"3,5%", "3@0-1 5@2-3"},
		{"Nguye\u0302\u0303n Va\u0306n", "Nguye\u0302\u0303n@0-10 Va\u0306n@11-16"},
		{"thi \u0323trường", "thi@0-3 trường@6-15"},
		{"C\u200bảnh", "C\u200bảnh@0-9"},
		{"kiến \u200b\u200bthức", "kiến@0-6 thức@13-19"},
		{"a\u200b b", "a@0-1 b@5-6"},
		{"北京 2024", "北京@0-6 2024@7-11"},
		{"x² ½", "x@0-1"},
		{"नमस्ते", "नमस्ते@0-18"},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range Syllables(tt.in) {
			got = append(got, fmt.Sprintf("%s@%d-%d", tok.Text, tok.Start, tok.End))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("Syllables(%+q) = %+q, want %+q", tt.in, g, tt.want)
		}
	}
}

// TestVowelGrid checks every vowel × tone × case, precomposed and NFD.
func TestVowelGrid(t *testing.T) {
	folded := []string{"a", "a", "a", "e", "e", "i", "o", "o", "o", "u", "u", "y"}
	for v := range numVowels {
		for tone := range numTones {
			for up := range 2 {
				r := string(vowelRune[v][tone][up])
				nfd := norm.NFD.String(r)
				if got := Normalize(r); got != r {
					t.Errorf("Normalize(%q) = %q", r, got)
				}
				if got := Normalize(nfd); got != r {
					t.Errorf("Normalize(NFD %+q) = %q, want %q", nfd, got, r)
				}
				if got := Fold(r); got != folded[v] {
					t.Errorf("Fold(%q) = %q, want %q", r, got, folded[v])
				}
				if got := Fold(nfd); got != folded[v] {
					t.Errorf("Fold(NFD %+q) = %q, want %q", nfd, got, folded[v])
				}
				if got, want := HasDiacritics(r), tone != 0 || hasHat(int8(v)); got != want {
					t.Errorf("HasDiacritics(%q) = %v", r, got)
				}
				if toks := Syllables("x " + nfd + " y"); len(toks) != 3 || toks[1].Text != nfd {
					t.Errorf("Syllables of NFD %+q: %v", nfd, toks)
				}
			}
		}
	}
}

// TestOldPlacementGrid moves each tone of open oa, oe, uy, in both cases,
// from the second vowel (old style) to the first.
func TestOldPlacementGrid(t *testing.T) {
	pairs := []struct {
		initial      string
		first, other int8
	}{{"h", vO, vA}, {"kh", vO, vE}, {"th", vU, vY}}
	for _, p := range pairs {
		for tone := 1; tone < numTones; tone++ {
			for up := range 2 {
				initial := p.initial
				if up == 1 {
					initial = strings.ToUpper(initial)
				}
				old := initial + string(vowelRune[p.first][0][up]) + string(vowelRune[p.other][tone][up])
				want := initial + string(vowelRune[p.first][tone][up]) + string(vowelRune[p.other][0][up])
				if got := Normalize(old); got != want {
					t.Errorf("Normalize(%q) = %q, want %q", old, got, want)
				}
				if got := Normalize(want); got != want {
					t.Errorf("Normalize(%q) = %q, want it unchanged", want, got)
				}
			}
		}
	}
}

func TestNoAllocationWhenCanonical(t *testing.T) {
	s := "Người dân Hà Nội hòa mình vào không khí lễ hội, thủy triều lên."
	for name, f := range map[string]func(string) string{
		"Clean": Clean, "Repair": Repair, "Normalize": Normalize, "Fold": Fold,
	} {
		in := s
		if name == "Fold" {
			in = Fold(s)
		}
		if n := testing.AllocsPerRun(10, func() { f(in) }); n != 0 {
			t.Errorf("%s of canonical text allocates %.0f times", name, n)
		}
	}
	if got := Normalize(s); got != s {
		t.Errorf("Normalize changed canonical text: %q", got)
	}
	toks := Syllables(s)
	if !slices.ContainsFunc(toks, func(t Token) bool { return t.Text == "thủy" }) {
		t.Errorf("Syllables(%q) = %v", s, toks)
	}
	if n := testing.AllocsPerRun(10, func() { Syllables(s) }); n != 1 {
		t.Errorf("Syllables allocates %.0f times, want 1", n)
	}
}
