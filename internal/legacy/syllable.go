package legacy

import "unicode"

// isSyllable reports whether w, one word, is a well-formed Vietnamese
// syllable: "hà", "Hà" or "HÀ" in case; an onset the language has; a vowel
// nucleus and a final that go together; the spelling rules (k, gh, ngh before
// i, e, ê, y; c, g, ng elsewhere; q only in qu); at most one tone, and only
// sắc or nặng before a stop (p, t, c, ch). Detection counts such words before
// and after a conversion: mojibake ("hßa", "hoøa", "hÕi") never passes,
// converted text does. Letters are coded as small integers so that the
// check, run on every word detection judges, allocates nothing.
func isSyllable(w []rune) bool {
	_, ok := syllable(w)
	return ok
}

// syllable is isSyllable that also returns a key for the word: its letters
// without tone, lower case, and its tone (so "Hòa", "hoà" and "HÒA" share one).
func syllable(w []rune) (key uint64, ok bool) {
	var buf [8]uint8
	if len(w) == 0 || len(w) > len(buf) || !caseShapeOK(w) {
		return 0, false
	}
	code := buf[:len(w)]
	tone := uint8(toneNone)
	for i, r := range w {
		if v, ok := vowelOf(r); ok {
			if v.tone != toneNone {
				if tone != toneNone {
					return 0, false
				}
				tone = v.tone
			}
			code[i] = v.code
			continue
		}
		c := consonantCode(r)
		if c == 0 {
			return 0, false
		}
		code[i] = c
	}
	key = uint64(tone)
	for i, c := range code {
		key |= uint64(c) << (3 + 6*i)
	}
	n := 0
	for n < len(code) && code[n] >= firstConsonant {
		n++
	}
	v := n
	for v < len(code) && code[v] < firstConsonant {
		v++
	}
	for _, c := range code[v:] {
		if c < firstConsonant {
			return 0, false // a vowel after the final
		}
	}
	onset, nucleus, final := pack(code[:n]), pack(code[n:v]), pack(code[v:])
	switch {
	case onset == pack1('g') && v > n && code[n] == vowelCode('i'): // gi-: già, giữa, gìn, giết
		onset = pack2('g', 'i')
		if v == n+1 || code[n+1] == vowelCode('ê') {
			break // gìn, giết: the i is the nucleus's own
		}
		if code[n+1] == vowelCode('i') {
			return 0, false // no "gii"
		}
		nucleus = pack(code[n+1 : v])
	case onset == pack1('q') && v > n+1 && code[n] == vowelCode('u'): // qu-: quý, quốc, qua
		if rhymeOK(pack2('q', 'u'), nucleus, final, tone) {
			return key, true
		}
		onset, nucleus = pack2('q', 'u'), pack(code[n+1:v])
	}
	return key, rhymeOK(onset, nucleus, final, tone)
}

// isCommon reports whether a syllable key is one of the few hundred
// syllables that make up most of any Vietnamese news text. Two tables that
// both turn a short text into valid syllables are told apart by it: TCVN3's
// "Cµ Mau" is "Cà Mau", not VISCII's "Cộ Mau".
func isCommon(key uint64) bool { return commonSyllables[key] }

// commonSyllables is written from general knowledge of Vietnamese, not taken
// from any corpus.
var commonSyllables = func() map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range splitWords(commonWords) {
		key, ok := syllable([]rune(w))
		if !ok {
			panic("legacy: common syllable " + w + " is not a syllable")
		}
		m[key] = true
	}
	return m
}()

const commonWords = `của và các có là người một những được trong cho với đã này không
	năm ở đến khi về ra cũng nhiều từ theo đó tại sẽ như để làm việc phải nhà nước
	đi sau hơn vào mới ngày đồng công thì động chính hiện trên lại hội thành phố
	tỉnh xã huyện dân quốc gia chức tổ trường học sinh giáo viên bệnh viện bác sĩ
	tiền giá thị kinh tế doanh nghiệp sản xuất hàng mua bán đất đường xe giao thông
	tai nạn vụ án an điều tra bắt giữ đối tượng pháp luật tòa hòa xử tù tháng tuần
	giờ phút lúc nay hôm qua tới đầu cuối trước giữa cao thấp lớn nhỏ mạnh tốt đẹp
	cũ ông bà anh chị em con cháu bố mẹ vợ chồng đình bạn trẻ già nữ nam thế giới
	Mỹ Trung Nga Nhật Hàn Pháp Đức chiến tranh quân đội lực lượng bóng đá tuyển
	trận đấu thắng thua bàn cầu thủ giải vô địch mùa nhất hai ba bốn sáu bảy tám
	chín mười trăm nghìn triệu tỷ số gần khoảng cả mọi tất mỗi vẫn đang chưa đều
	rất quá lắm chỉ hay hoặc nhưng nếu vì nên mà do bởi tuy dù nào gì ai sao bao
	đâu vậy đây kia ấy nói biết thấy nghe xem hỏi trả lời đưa nhận gửi dùng sử dụng
	cần muốn thể phát triển tăng giảm cơ quan ban ngành bộ tướng chủ tịch tổng thống
	bí thư đảng phủ đại biểu ủy sở phòng tâm khu vực vùng miền bắc đông tây sông
	biển núi rừng mưa bão lũ nắng nóng lạnh thời tiết nhiệt độ sức khỏe chết bị
	thương cứu hỏa cháy nổ tiếng chữ sách báo tin tức bài viết ảnh phim nhạc ca
	hát diễn nghệ thuật văn hóa du lịch khách sạn ăn uống món cơm điện thoại máy
	tính mạng ứng kỹ khoa nghiên dự kế hoạch chương trình quy định quyết tư nghị
	vốn ngân lãi suất chứng khoán cổ phiếu vàng xuất nhập khẩu thu chi thuế phí
	lương lao tìm kiếm hỗ trợ giúp đỡ chăm sóc bảo vệ đảm toàn ninh trật tự
	rằng họ mình ta chúng tôi cô ngoài sự nhau cùng nhưng lần đây vài khác
	đất nơi đó hết xong còn sống cuộc tình yêu thương mất tìm hiểu rõ ý kiến
	vấn đề nhân viên trưởng phó giám đốc cán lãnh đạo hành chính quản lý hệ
	thống hợp tác phần trăm tổng kết quả đạt mức cấp độ tiêu chuẩn chất
	lượng mặt trời gió đêm sáng chiều tối sớm muộn nhanh chậm dài ngắn
	rộng hẹp xa gần trong ngoài bên trái phải giữa đầu cuối Hà Nội Sài Gòn
	Huế Đà Nẵng Cà Mau Cần Thơ Hải Phòng Quảng Ninh Nghệ Bình Dương Đồng
	lên xuống đứng ngồi chạy bay rơi mở đóng cửa xây nhà ở lấy bỏ giữ để
	khỏi rút lui vẽ tài cao đỉnh hoa quả cây lá trồng nuôi cá gà lợn bò
	mắt tay chân tim máu não tóc`

// caseShapeOK accepts "hà", "Hà" and "HÀ"; a capital after a small letter
// ("hÕi", VISCII's hại read as Windows-1252) is no Vietnamese word.
func caseShapeOK(w []rune) bool {
	if allUpper(w) {
		return true
	}
	for _, r := range w[1:] {
		if unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func allUpper(w []rune) bool {
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// Letter codes: vowels 1–12 in vowelBases order, consonants from 16.
const firstConsonant = 16

// vowelCode is the code of a vowel base.
func vowelCode(base rune) uint8 {
	v, _ := vowelOf(base)
	return v.code
}

const consonants = "bcdđghklmnpqrstvx"

var consonantCodes = func() (t [0x112]uint8) {
	for i, r := range []rune(consonants) {
		t[r] = uint8(firstConsonant + i)
		t[unicode.ToUpper(r)] = uint8(firstConsonant + i)
	}
	return t
}()

func consonantCode(r rune) uint8 {
	if r < rune(len(consonantCodes)) {
		return consonantCodes[r]
	}
	return 0
}

// pack turns up to three letter codes into one key; longer runs give a key
// no table holds.
func pack(c []uint8) uint32 {
	if len(c) > 3 {
		return 1 << 31
	}
	var k uint32
	for i, x := range c {
		k |= uint32(x) << (8 * i)
	}
	return k
}

func code(r rune) uint8 {
	if c := vowelCode(r); c != 0 {
		return c
	}
	return consonantCode(r)
}

func packString(s string) uint32 {
	var c []uint8
	for _, r := range s {
		c = append(c, code(r))
	}
	return pack(c)
}

func pack1(a rune) uint32    { return uint32(code(a)) }
func pack2(a, b rune) uint32 { return uint32(code(a)) | uint32(code(b))<<8 }

// What a nucleus allows after it.
const (
	open   = 1 << iota // may end the syllable
	closed             // may take a final consonant
)

var nuclei = func() map[uint32]uint8 {
	m := map[uint32]uint8{}
	add := func(kind uint8, list string) {
		for _, n := range splitWords(list) {
			m[packString(n)] = kind
		}
	}
	add(open|closed, "a e ê i o ô ơ u ư oa oe uê uy")
	add(closed, "ă â iê yê uô ươ oă uâ uyê oo")
	add(open, `y ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua uơ iêu yêu
		oai oao oay oeo uây uôi uya uyu ươi ươu`)
	return m
}()

var onsets = func() map[uint32]bool {
	m := map[uint32]bool{0: true}
	for _, o := range splitWords("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x") {
		m[packString(o)] = true
	}
	return m
}()

func splitWords(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

var (
	keyI, keyEcirc          = pack1('i'), pack1('ê')
	onsetBeforeFront        = map[uint32]bool{pack1('k'): true, pack2('g', 'h'): true, packString("ngh"): true}
	onsetNotBeforeFront     = map[uint32]bool{pack1('c'): true, pack1('g'): true, pack2('n', 'g'): true}
	noVelarAfter            = map[uint32]bool{keyEcirc: true, keyI: true, pack2('u', 'y'): true, pack2('u', 'ê'): true}
	palatalAfter            = map[uint32]bool{pack1('a'): true, keyEcirc: true, keyI: true, pack2('o', 'a'): true, pack2('u', 'ê'): true, pack2('u', 'y'): true}
	kAfter                  = map[uint32]bool{pack1('ă'): true, pack1('ơ'): true, pack1('ô'): true, pack1('a'): true}
	finalC, finalCH, finalK = pack1('c'), pack2('c', 'h'), pack1('k')
	finalNG, finalNH        = pack2('n', 'g'), pack2('n', 'h')
	finalM, finalN, finalP  = pack1('m'), pack1('n'), pack1('p')
	finalT, nucleusOO       = pack1('t'), pack2('o', 'o')
)

// isFront reports whether a vowel code is i, e, ê or y: the vowels that
// take k, gh, ngh and not c, g, ng.
func isFront(c uint8) bool {
	return c == codeI || c == codeE || c == codeEcirc || c == codeY
}

var codeI, codeE, codeEcirc, codeY = vowelCode('i'), vowelCode('e'), vowelCode('ê'), vowelCode('y')

func rhymeOK(onset, nucleus, final uint32, tone uint8) bool {
	kind := nuclei[nucleus]
	if kind == 0 || !onsets[onset] {
		return false
	}
	front := isFront(uint8(nucleus))
	if onsetBeforeFront[onset] && !front || onsetNotBeforeFront[onset] && front {
		return false
	}
	switch final {
	case 0:
		return kind&open != 0
	case finalC, finalNG:
		if noVelarAfter[nucleus] {
			return false
		}
	case finalCH, finalNH:
		if !palatalAfter[nucleus] {
			return false
		}
	case finalK: // Tây Nguyên names: Đắk Lắk, Đắk Nông
		if !kAfter[nucleus] {
			return false
		}
	case finalM, finalN, finalP, finalT:
	default:
		return false
	}
	if kind&closed == 0 || nucleus == nucleusOO && final != finalNG && final != finalC {
		return false
	}
	switch final {
	case finalP, finalT, finalC, finalCH, finalK: // stops take only sắc or nặng
		return tone == toneAcute || tone == toneDot
	}
	return true
}
