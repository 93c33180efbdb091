package legacy

import (
	"flag"
	"strings"
	"testing"
)

func TestDecodeField(t *testing.T) {
	tests := []struct {
		name, in  string
		force     Encoding
		converted bool
		enc       Encoding
		want      string // the text out; "" means the input
		noteHas   string
	}{
		{"unicode", "Cộng hòa Xã hội chủ nghĩa Việt Nam", Auto, false, Unicode, "", ""},
		{"ascii", "Hello, world 2024", Auto, false, Unicode, "", ""},
		{"unicode with quotes and dashes", "“Cười đau ruột” – với 15 lối suy nghĩ", Auto, false, Unicode, "", ""},
		{"unicode with a soft hyphen", "Cộng hòa xã\u00adhội chủ nghĩa", Auto, false, Unicode, "", ""},
		{"unicode with foreign names", "Tiền vệ Özil và Müller ra sân tại München trong trận đấu với đội bóng của Gündoğan", Auto, false, Unicode, "", ""},
		{"few words, most of them foreign, are reported", "Özil, Gündoğan và Müller ra sân tại München", Auto, false, TCVN3, "", "looks legacy"},
		{"tcvn3", "Céng hßa X· héi chñ nghÜa ViÖt Nam", Auto, true, TCVN3, "Cộng hòa Xã hội chủ nghĩa Việt Nam", ""},
		{"tcvn3 ư is U+00AD", "ng\u00adêi d©n ®\u00adêng phè", Auto, true, TCVN3, "người dân đường phố", ""},
		{"tcvn3 all caps", "CéNG HßA X· HéI", Auto, true, TCVN3, "CỘNG HÒA XÃ HỘI", ""},
		{"tcvn3 sentence start", "Hä ®· ®Õn. ë ®ã cã nhiÒu ng\u00adêi.", Auto, true, TCVN3, "Họ đã đến. Ở đó có nhiều người.", ""},
		{"tcvn3 with a unicode credit", "Mét ngµy m\u00ada lín ë Hµ Néi (Nguồn: TTXVN)", Auto, true, TCVN3, "Một ngày mưa lớn ở Hà Nội (Nguồn: TTXVN)", ""},
		{"vni", "Coäng hoøa Xaõ hoäi chuû nghóa Vieät Nam", Auto, true, VNI, "Cộng hòa Xã hội chủ nghĩa Việt Nam", ""},
		{"vni marks that are Latin-1 letters only", "Honda thu hoài xe vì loãi tuùi khí", Auto, true, VNI, "Honda thu hồi xe vì lỗi túi khí", ""},
		{"viscii cp1252", "Vi®t Nam th¡ng lþi", Auto, true, VISCII, "Việt Nam thắng lợi", ""},
		{"viscii C0 capitals", "CH\x02NG AI NG\x06M", Auto, true, VISCII, "CHẲNG AI NGẪM", ""},
		{"force utf8", "Céng hßa", Unicode, false, Unicode, "", ""},
		{"force vni", "Coäng hoøa", VNI, true, VNI, "Cộng hòa", "forced"},
		{"kept: foreign text", "Größe, Übermaß und Gemütlichkeit für Müßiggänger", Auto, false, TCVN3, "", "looks legacy"},
		{"invalid UTF-8 in a string is raw bytes", "C\xe9ng h\xdfa X\xb7 h\xe9i", Auto, true, TCVN3, "Cộng hòa Xã hội", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DecodeField(tt.in, tt.force)
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if r.Converted != tt.converted || r.Text != want {
				t.Errorf("DecodeField(%q, %v) = %v %q, want converted=%v %q", tt.in, tt.force, r, r.Text, tt.converted, want)
			}
			if tt.converted && r.Encoding != tt.enc {
				t.Errorf("encoding %v, want %v", r.Encoding, tt.enc)
			}
			if !strings.Contains(r.Note, tt.noteHas) {
				t.Errorf("note %q, want it to say %q", r.Note, tt.noteHas)
			}
			if tt.converted != r.Report() && tt.noteHas == "" {
				t.Errorf("Report() = %v", r.Report())
			}
		})
	}
}

func TestDecodeBytes(t *testing.T) {
	tests := []struct {
		name      string
		in        []byte
		converted bool
		want      string
		noteHas   string
	}{
		{"utf8", []byte("Trường học"), false, "Trường học", ""},
		{"tcvn3", []byte("Tr\xad\xeang h\xe4c"), true, "Trường học", ""},
		{"vni", []byte("Tr\xf6\xf4\xf8ng ho\xefc"), true, "Trường học", ""},
		{"viscii", []byte("Tr\xdf\xb6ng h\xf7c"), true, "Trường học", ""},
		{"utf8 with a broken byte", []byte("Trường học \xff Hà Nội"), false, "Trường học \uFFFD Hà Nội", "1 bad bytes replaced"},
		{"latin-1 foreign text", []byte("Gr\xf6\xdfe \xdcberma\xdf M\xfc\xdfigg\xe4nger"), false, "Größe Übermaß Müßiggänger", "read as Windows-1252"},
	}
	for _, tt := range tests {
		r := DecodeBytes(tt.in, Auto)
		if r.Converted != tt.converted || r.Text != tt.want || !strings.Contains(r.Note, tt.noteHas) {
			t.Errorf("%s: DecodeBytes = %v %q, want converted=%v %q (note with %q)", tt.name, r, r.Text, tt.converted, tt.want, tt.noteHas)
		}
	}
}

func TestAmbiguousIsKept(t *testing.T) {
	// VISCII "hoảng loạn" or VNI "hộng lõn": two words cannot tell.
	r := DecodeField("EU hoäng loÕn vì Donald Trump", Auto)
	if r.Converted || !strings.Contains(r.Note, "equally well") {
		t.Errorf("DecodeField = %v, want kept as ambiguous", r)
	}
}

func TestDecodeFieldsSettlesTiesByTheRecord(t *testing.T) {
	title := "EU hoäng loÕn vì Donald Trump" // VISCII hoảng loạn, or VNI hộng lõn
	body, _ := Encode("Châu Âu hoảng loạn vì những quyết định bất ngờ của tổng thống Mỹ về thuế quan.", VISCII)
	rs := DecodeFields([]string{title, CP1252(body)}, Auto)
	if !rs[0].Converted || rs[0].Encoding != VISCII || rs[0].Text != "EU hoảng loạn vì Donald Trump" {
		t.Errorf("title: %v %q, want VISCII like the body", rs[0], rs[0].Text)
	}
	if !rs[1].Converted || rs[1].Encoding != VISCII {
		t.Errorf("body: %v", rs[1])
	}
	if rs := DecodeFields([]string{title, "Châu Âu hoảng loạn"}, Auto); rs[0].Converted {
		t.Errorf("title converted without a legacy field to follow: %v", rs[0])
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"auto": Auto, "": Auto, "utf8": Unicode, "UTF-8": Unicode,
		"tcvn3": TCVN3, "ABC": TCVN3, "vni": VNI, "viscii": VISCII} {
		got, err := ParseEncoding(in)
		if err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	if _, err := ParseEncoding("cp1258"); err == nil {
		t.Error("ParseEncoding(cp1258) succeeded")
	}
	var e Encoding
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Var(&e, "encoding", "")
	if err := fs.Parse([]string{"--encoding", "vni"}); err != nil || e != VNI {
		t.Errorf("flag: %v %v", e, err)
	}
	for _, e := range []Encoding{Auto, Unicode, TCVN3, VNI, VISCII} {
		if got, _ := ParseEncoding(e.String()); got != e {
			t.Errorf("ParseEncoding(%v.String()) = %v", e, got)
		}
	}
}
