package restore

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"kho/internal/vntext"
)

// archive is a small text written for these tests: enough pairs to decide
// "ban", "duong" and "nam" by their neighbours.
const archive = `Hà Nội là thủ đô của Việt Nam. Người dân Hà Nội đón năm mới.
Phong trào dân vận khéo được nhân rộng ở Hà Nội; dân vận khéo giúp xây dựng nông thôn mới.
Cán bộ làm công tác dân vận khéo léo, gần dân, hiểu dân.
Bạn đọc hỏi về giá bán nhà ở Hà Nội. Bạn đọc gửi thư cho tòa soạn.
Ban chỉ đạo họp bàn kế hoạch năm nay. Ban chỉ đạo phòng chống dịch.
Bàn ghế được mua mới cho trường học. Bàn ghế cũ được sửa lại.
Con đường dẫn về làng rất đẹp. Đường phố Hà Nội đông người.
Giá đường tăng mạnh trong năm. Giá đường kính trắng tăng.
Hòa bình cho người dân Việt Nam. Hòa bình là mong ước của người dân.
Ông ấy dùng Facebook và smartphone mỗi ngày. Deadline của dự án là tuần sau.
Xe bus chạy trên đường phố. Xe bus mới chạy từ năm nay.
Miền Nam có nhiều mưa. Miền Nam đón năm mới. Nam giới và nữ giới.
Bản nhạc hay nhất năm. Bản nhạc mới của ban nhạc trẻ. Nghe bản nhạc cũ.`

func testModel(t testing.TB) *Model {
	t.Helper()
	m := NewModel()
	m.Add(archive)
	return m
}

func TestRestore(t *testing.T) {
	m := testModel(t)
	tests := []struct {
		query, want string
	}{
		{"ha noi", "hà nội"},
		{"Ha Noi", "Hà Nội"},
		{"HA NOI", "HÀ NỘI"},
		{"dan van kheo", "dân vận khéo"},
		{"ban doc", "bạn đọc"},
		{"ban chi dao", "ban chỉ đạo"},
		{"ban ghe", "bàn ghế"},
		{"gia duong", "giá đường"},
		{"con duong", "con đường"},
		{"viet nam", "việt nam"},
		{"mien nam", "miền nam"},
		// Syllables typed with diacritics stay and steer their neighbours.
		{"Bàn ghe", "Bàn ghế"},
		{"Giá duong", "Giá đường"},
		{"bạn doc", "bạn đọc"},
		{"Hà noi", "Hà nội"},
		{"hà nội", "hà nội"},
		// A query with diacritics elsewhere keeps a plain syllable unless
		// the context is sure; one without any gets the likeliest form.
		{"ban nhạc", "ban nhạc"},
		{"ban nhac", "bản nhạc"},
		{"Hà Nội", "Hà Nội"},
		// Punctuation, numbers, spacing and unknown words stay.
		{"ha noi, viet nam!", "hà nội, việt nam!"},
		{"  ha   noi  ", "  hà   nội  "},
		{"ha noi 2024", "hà nội 2024"},
		{"ha noi xyzzy", "hà nội xyzzy"},
		{`"dan van kheo"`, `"dân vận khéo"`},
		{"-ban ghe", "-bàn ghế"},
		// English words stay.
		{"deadline du an", "deadline dự án"},
		{"facebook smartphone", "facebook smartphone"},
		{"xe bus", "xe bus"},
		// Telex and VNI leftovers.
		{"Vieejt Nam", "Việt Nam"},
		{"Vie6t Nam", "Việt Nam"},
		{"dduwowngf", "đường"},
		{"d9u7o7ng2", "đường"},
		{"hoaf binhf", "hòa bình"},
		{"nguowif daan", "người dân"},
		{"Vieet Nam", "Việt Nam"},
		{"", ""},
		{"...", "..."},
	}
	for _, tt := range tests {
		got, changed := m.Restore(tt.query)
		if got != tt.want || changed != (tt.want != tt.query) {
			t.Errorf("Restore(%q) = %q, %v; want %q, %v", tt.query, got, changed, tt.want, tt.want != tt.query)
		}
	}
}

func TestRestoreEmptyModel(t *testing.T) {
	for _, q := range []string{"ha noi", "Vieejt", ""} {
		if got, changed := NewModel().Restore(q); got != q || changed {
			t.Errorf("empty model: Restore(%q) = %q, %v; want it unchanged", q, got, changed)
		}
	}
}

func TestRemoveUndoesAdd(t *testing.T) {
	m := testModel(t)
	want := save(t, m)
	extra := "Ban nhạc chơi bài mới. Bạn bè gặp nhau ở Hà Nội.\nTin mới: giá đường giảm"
	m.Add(extra)
	if bytes.Equal(save(t, m), want) {
		t.Fatal("Add changed nothing")
	}
	m.Remove(extra)
	if got := save(t, m); !bytes.Equal(got, want) {
		t.Errorf("Add then Remove left a different model (%d bytes, want %d)", len(got), len(want))
	}
	// Removing what was never added must not push counts below zero.
	m.Remove("Bàn phím máy tính hỏng")
	m.Add("Bàn phím máy tính hỏng")
	if got, _ := m.Restore("ban phim"); got != "bàn phím" {
		t.Errorf("after Remove of unseen text then Add, Restore(ban phim) = %q", got)
	}
}

func TestPersistenceRoundTrip(t *testing.T) {
	m := testModel(t)
	data := save(t, m)
	loaded := NewModel()
	n, err := loaded.ReadFrom(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(data)) {
		t.Errorf("ReadFrom read %d bytes, file has %d", n, len(data))
	}
	if got, want := loaded.Stats(), m.Stats(); got != want {
		t.Errorf("loaded stats %+v, want %+v", got, want)
	}
	if again := save(t, loaded); !bytes.Equal(again, data) {
		t.Error("saving a loaded model gives a different file")
	}
	for _, q := range []string{"dan van kheo", "ban ghe", "gia duong", "Vieejt Nam"} {
		want, _ := m.Restore(q)
		if got, _ := loaded.Restore(q); got != want {
			t.Errorf("loaded model: Restore(%q) = %q, want %q", q, got, want)
		}
	}
	// The loaded model keeps learning.
	loaded.Add("Bàn phím mới. Bàn phím cơ.")
	if got, _ := loaded.Restore("ban phim"); got != "bàn phím" {
		t.Errorf("loaded model after Add: Restore(ban phim) = %q", got)
	}
}

func TestReadFromRejectsDamage(t *testing.T) {
	data := save(t, testModel(t))
	cases := map[string][]byte{
		"empty":     nil,
		"not gzip":  []byte("hello"),
		"truncated": data[:len(data)/2],
		"flipped":   flip(data, len(data)/2),
	}
	for name, in := range cases {
		m := testModel(t)
		before := m.Stats()
		if _, err := m.ReadFrom(bytes.NewReader(in)); err == nil {
			t.Errorf("%s: ReadFrom succeeded", name)
		} else if !strings.Contains(err.Error(), "restore model") {
			t.Errorf("%s: error %q does not say what was read", name, err)
		}
		if m.Stats() != before {
			t.Errorf("%s: a failed ReadFrom changed the model", name)
		}
	}
}

func TestPruneKeepsCommonPairs(t *testing.T) {
	m := testModel(t)
	before := m.Stats().Pairs
	m.Prune(2)
	if after := m.Stats().Pairs; after >= before || after == 0 {
		t.Fatalf("Prune(2): %d pairs → %d", before, after)
	}
	if got, _ := m.Restore("dan van kheo"); got != "dân vận khéo" {
		t.Errorf("after Prune, Restore(dan van kheo) = %q", got)
	}
}

func TestPairsStopAtPunctuation(t *testing.T) {
	m := NewModel()
	m.Add("một hai. ba bốn, năm\nsáu bảy_tám\nnăm 2024 mới")
	m.flush()
	var got []string
	m.pairs.each(func(key uint64, _ uint32) {
		got = append(got, m.forms[key>>32]+" "+m.forms[uint32(key)])
	})
	slices.Sort(got)
	want := []string{
		"<s> ba", "<s> một", "<s> năm", "<s> sáu", "ba bốn", "bảy tám", "bốn </s>", "hai </s>",
		"một hai", "mới </s>", "năm </s>", "sáu bảy", "tám </s>",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pairs\n%q\nwant\n%q", got, want)
	}
}

func FuzzRestore(f *testing.F) {
	m := testModel(f)
	for _, s := range []string{"ha noi", "Vieejt Nam", "d9u7o7ng2", "ban, ghe!", "Hà noi 2024", "\xff\xfe", "ǅ İ ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, changed := m.Restore(q)
		if changed != (got != q) {
			t.Fatalf("Restore(%q) = %q, changed = %v", q, got, changed)
		}
		if !changed {
			return
		}
		// Without keystrokes to read, restoring only adds marks.
		keys := false
		for _, tok := range vntext.Syllables(q) {
			if _, ok := decodeKeys(tok.Text); ok {
				keys = true
			}
		}
		if !keys && vntext.Fold(got) != vntext.Fold(q) {
			t.Fatalf("Restore(%q) = %q: folds differ", q, got)
		}
	})
}

func save(t testing.TB, m *Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo reported %d bytes, wrote %d", n, buf.Len())
	}
	return buf.Bytes()
}

func flip(data []byte, at int) []byte {
	out := bytes.Clone(data)
	out[at] ^= 0xff
	return out
}

func FuzzReadFrom(f *testing.F) {
	f.Add(save(f, testModel(f)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := NewModel()
		if _, err := m.ReadFrom(bytes.NewReader(data)); err != nil {
			return
		}
		m.Restore("ha noi") // a model that loads must answer
		m.Add("Hà Nội")
	})
}

func TestLower(t *testing.T) {
	for _, s := range []string{"hà", "HÀ", "Hà", "ĐƯỜNG", "đường", "Ơ", "ẠẢẤ", "ạảấ", "ß", "İstanbul", "ǅ", "abc", "ÀÉÌ", "Ă", "ỹ", "Ỹ", "Ω"} {
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Errorf("lower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestAddSpelled: a text given as its distinct forms and their order
// teaches the model what Add teaches it from the text: counts, pairs within
// clauses, clause ends, numbers and over-long tokens left unpaired.
func TestAddSpelled(t *testing.T) {
	long := strings.Repeat("a", maxFormLen+1)
	text := "Hòa bình, hòa bình 2024 hòa " + long + " bình"
	want, got := NewModel(), NewModel()
	want.Add(text)
	got.AddSpelled(Spelled{
		Forms: []string{"hòa", "bình", "2024", long},
		Seq:   []int32{0, 1, Break, 0, 1, 2, 0, 3, 1},
	})
	if !bytes.Equal(savedModel(t, got), savedModel(t, want)) {
		t.Errorf("AddSpelled learned %+v, Add %+v", got.Stats(), want.Stats())
	}
}

// savedModel is what m.WriteTo writes: two models that learned the same
// save the same bytes.
func savedModel(t *testing.T, m *Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A Spelled that carries its forms' ids is learned as Add learns the text;
// once the model has read other ids (ReadFrom), or the ids are another
// model's, they are ignored and the forms looked up.
func TestAddSpelledWithIDs(t *testing.T) {
	text := "Hòa bình, hòa bình 2024"
	spelled := func(m *Model) Spelled {
		s := Spelled{Forms: []string{"hòa", "bình", "2024"}, Seq: []int32{0, 1, Break, 0, 1, 2}}
		for _, f := range s.Forms {
			id, numbering := m.Intern(f)
			s.IDs, s.Numbering = append(s.IDs, id), numbering
		}
		return s
	}
	saved := func(m *Model) []byte { return savedModel(t, m) }
	other := NewModel()
	other.Add("Đà Nẵng bình yên, hòa bình")
	otherSaved := saved(other)

	want := NewModel()
	want.Add(text)
	got := NewModel()
	got.AddSpelled(spelled(got))
	if !bytes.Equal(saved(got), saved(want)) {
		t.Errorf("with its own ids: learned %+v, Add %+v", got.Stats(), want.Stats())
	}

	stale := NewModel()
	s := spelled(stale)
	if _, err := stale.ReadFrom(bytes.NewReader(otherSaved)); err != nil {
		t.Fatal(err)
	}
	stale.AddSpelled(s)
	want = NewModel()
	want.Add("Đà Nẵng bình yên, hòa bình")
	want.Add(text)
	if !bytes.Equal(saved(stale), saved(want)) {
		t.Errorf("with ids from before ReadFrom: learned %+v, want %+v", stale.Stats(), want.Stats())
	}

	foreign := NewModel()
	foreign.Add("Đà Nẵng bình yên")
	foreign.AddSpelled(spelled(NewModel()))
	want = NewModel()
	want.Add("Đà Nẵng bình yên")
	want.Add(text)
	if !bytes.Equal(saved(foreign), saved(want)) {
		t.Errorf("with another model's ids: learned %+v, want %+v", foreign.Stats(), want.Stats())
	}
}
