package legacy

import (
	"strings"
	"testing"
)

// sample is a short article written for these tests (never copied from the
// corpus): the paragraphs of the round-trip tests and of the test archive in
// testdata/legacy.
type sample struct {
	name, title, body string
	// tcvn3 is what a TCVN3 round trip gives when it differs from the text:
	// VN3 has no capital toned vowels, and a capital in mid-sentence
	// ("Bà Lữ Thị Ỷ") cannot be told from a small letter.
	tcvn3Title, tcvn3Body string
}

func (s sample) text() string { return s.title + "\n\n" + s.body }

func (s sample) tcvn3Text() string {
	title, body := s.title, s.body
	if s.tcvn3Title != "" {
		title = s.tcvn3Title
	}
	if s.tcvn3Body != "" {
		body = s.tcvn3Body
	}
	return title + "\n\n" + body
}

var samples = []sample{{
	name:  "thu-vien",
	title: "Thư viện tỉnh số hóa kho báo cũ",
	body: `Thư viện tỉnh vừa hoàn thành việc số hóa kho báo cũ từ năm 1995 đến năm 2005, gồm hơn mười hai nghìn số báo ngày và báo tuần. Nhiều tờ báo thời ấy được gõ bằng phông chữ .VnTime hoặc VNI, nên khi mở trên máy tính ngày nay, chữ nghĩa biến thành những ký hiệu khó đọc. Các cán bộ thư viện đã kiểm tra từng trang, đối chiếu với bản in giấy, rồi mới đưa lên mạng cho bạn đọc tra cứu.

Ông Trần Quốc Hưng, giám đốc thư viện, cho biết: “Đây là nguồn tư liệu quý về lịch sử địa phương. Ở nhiều nơi, bản giấy đã ố vàng, mối mọt, nếu không làm sớm thì sẽ mất hẳn.” Ấn phẩm lâu đời nhất trong kho là một tờ tuần báo in năm 1996.`,
}, {
	name:  "mua-lu",
	title: "Mưa lớn kéo dài, nước sông Hương dâng cao",
	body: `Mưa lớn kéo dài suốt ba ngày khiến nước sông Hương dâng cao, nhiều tuyến đường ở thành phố Huế bị ngập sâu gần một mét. Ủy ban nhân dân tỉnh đã yêu cầu các xã ven biển sơ tán người già, trẻ nhỏ đến nơi an toàn trước khi trời tối.

Ông Nguyễn Văn Quýnh, một ngư dân ở Thuận An, cho biết gia đình ông đã kéo thuyền lên bờ từ chiều hôm trước. Ở khu chợ Đông Ba, tiểu thương thức trắng đêm để kê hàng lên cao. Dự báo mưa còn kéo dài đến cuối tuần, lượng mưa phổ biến từ 100 đến 200 mi-li-mét.`,
}, {
	name:      "cho-hoa",
	title:     "Chợ hoa ngày giáp Tết",
	body:      `Những ngày giáp Tết, chợ hoa Hàng Lược đông nghịt người. Cành đào Nhật Tân, chậu quất trĩu quả, bó thủy tiên trắng muốt được bày kín hai bên vỉa hè. Bà Lữ Thị Ỷ bán hoa ở đây đã hơn ba mươi năm; bà kể khách năm nay chuộng hoa nhỏ, giá vừa phải, ít ai mua những gốc đào cổ thụ như trước. Vài du khách Mỹ, Nhật dừng lại chụp ảnh, hỏi giá bằng tiếng Việt bập bẹ.`,
	tcvn3Body: `Những ngày giáp Tết, chợ hoa Hàng Lược đông nghịt người. Cành đào Nhật Tân, chậu quất trĩu quả, bó thủy tiên trắng muốt được bày kín hai bên vỉa hè. Bà Lữ Thị ỷ bán hoa ở đây đã hơn ba mươi năm; bà kể khách năm nay chuộng hoa nhỏ, giá vừa phải, ít ai mua những gốc đào cổ thụ như trước. Vài du khách Mỹ, Nhật dừng lại chụp ảnh, hỏi giá bằng tiếng Việt bập bẹ.`,
}, {
	name:  "truong-hoc",
	title: "Điểm trường giữa đại ngàn Đắk Lắk",
	body: `Điểm trường Buôn Đôn của tỉnh Đắk Lắk chỉ có hai phòng học lợp tôn. Mùa khô, gió bụi thổi qua những khe ván hở; mùa mưa, đường đến trường lầy lội ngập tới khuỷu chân. Dẫu vậy, các em vẫn đến lớp đều đặn, nắn nót từng nét chữ còn nguệch ngoạc trên trang vở.

Cô giáo Phạm Thị Quỳnh nói: “Thấy các em ham học, tôi chẳng nỡ bỏ đi đâu cả. Ước mơ của tôi là một thư viện nhỏ cho bọn trẻ.”`,
}, {
	name:  "bong-da",
	title: "VIỆT NAM NGƯỢC DÒNG THẮNG 2-1 Ở PHÚT BÙ GIỜ",
	body:  `Trong trận chung kết tối qua, đội tuyển Việt Nam đã lội ngược dòng để thắng 2-1 sau khi bị dẫn bàn từ phút thứ mười hai. Tiền vệ số 19 ghi bàn gỡ hòa bằng một cú sút xa đẹp mắt, rồi chính anh kiến tạo cho đồng đội đánh đầu ấn định tỷ số ở những phút bù giờ. Hàng vạn cổ động viên đổ ra đường ăn mừng đến khuya.`,
}, {
	name:  "pho",
	title: "Nấu phở bò kiểu Hà Nội",
	body:  `Muốn nấu nồi phở bò ngon, phải ninh xương ống ít nhất tám tiếng, hớt bọt thường xuyên cho nước dùng trong. Gừng và hành khô nướng thơm rồi mới thả vào nồi, thêm quế, hồi, thảo quả và một chút đường phèn. Bánh phở trụng qua nước sôi, xếp thịt tái lên trên, chan nước dùng thật nóng là có bát phở đậm đà hương vị.`,
}, {
	name:  "chuyen-lang",
	title: "Chuyện làng ven núi",
	body:  `Chuyện kể rằng, thuở ấy có người thợ rèn nghèo, sáng nào cũng bỡ ngỡ nhìn con ngựa kỵ binh ngoẹo cổ bên suối. Ông ẵm đứa cháu nhỏ, chỉ lên ngọn núi mờ sương mà bảo: “Mỗi hòn đá ở đây đều có tên, cháu ạ.” Lũy tre làng đã bẵng đi bao năm không ai chặt; tiếng chó sủa ăng ẳng vọng về trong gió ấm. Ừ thì đời người cũng như con nước, lúc lên lúc xuống, chẳng ai giữ mãi được.`,
}}

// typed is text as someone typing in e would have written it: VISCII has no
// room for typographic quotes, so its users typed straight ones.
func typed(text string, e Encoding) string {
	if e == VISCII {
		return strings.NewReplacer("“", `"`, "”", `"`).Replace(text)
	}
	return text
}

// TestSamplesRoundTrip writes each sample in each legacy encoding, in each
// shape legacy text arrives in, and checks that detection finds the
// encoding and the conversion gives the sample back.
func TestSamplesRoundTrip(t *testing.T) {
	for _, s := range samples {
		for _, e := range Legacy {
			b, unmapped := Encode(typed(s.text(), e), e)
			if unmapped > 0 {
				t.Fatalf("%s: %d runes %v cannot write", s.name, unmapped, e)
			}
			want := typed(s.text(), e)
			if e == TCVN3 {
				want = s.tcvn3Text()
			}
			for _, sh := range shapesOf(e) {
				r := sh.decode(b)
				if !r.Converted || r.Encoding != e {
					t.Errorf("%s as %v/%s: %v, want converted from %v", s.name, e, sh.name, r, e)
					continue
				}
				if r.Text != want {
					t.Errorf("%s as %v/%s:\n got %q\nwant %q", s.name, e, sh.name, r.Text, want)
				}
				if r.Confidence < 0.95 {
					t.Errorf("%s as %v/%s: confidence %.2f, want ≥ 0.95", s.name, e, sh.name, r.Confidence)
				}
			}
		}
	}
}

// TestSamplesStayUnicode: the samples as written are Unicode and are left
// alone, in every form ingest may see them.
func TestSamplesStayUnicode(t *testing.T) {
	for _, s := range samples {
		for _, text := range []string{s.title, s.body, s.text(), strings.ToUpper(s.title), strings.ToLower(s.body)} {
			if r := DecodeField(text, Auto); r.Converted || r.Note != "" || r.Text != text {
				t.Errorf("%s: %v for %.60q", s.name, r, text)
			}
			if r := DecodeBytes([]byte(text), Auto); r.Converted || r.Text != text {
				t.Errorf("%s bytes: %v", s.name, r)
			}
		}
	}
}
