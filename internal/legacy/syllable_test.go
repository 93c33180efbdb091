package legacy

import (
	"strings"
	"testing"
)

func TestIsSyllable(t *testing.T) {
	valid := strings.Fields(`a à ạ ơi ừ y ý ở
		Cộng hòa hoà Xã hội chủ nghĩa Việt Nam NGƯỜI người đường Đà Nẵng Hà Nội
		già giữa gìn gì giết giếng giường giặc giấu quý quốc qua quân quyết quỳnh quẹo
		khuya khuỷu thuở huơ thuế xoắn hoặc tuần khuấy ngoẹo xoong soóc
		kỹ kiếm ghế nghề nghiêng cá gà ngã cũng tiếng việc ếch kênh thích anh
		uống yêu yên thuyền chuyện trường rượu bưởi hươu tươi
		hoàng hoạch toán oanh quynh huỳnh lũy thủy khỏe ngoài ngoáy
		`)
	for _, w := range valid {
		if !isSyllable([]rune(w)) {
			t.Errorf("isSyllable(%q) = false, want true", w)
		}
	}
	invalid := strings.Fields(`c ng Đ hßa hoøa ViÖt chñ nghÜa héi Céng tröôøng cuûa
		kà ghà ngi cé ce cì hoàà thàt hòc bẳ
		Müller München Barça Zürich xyz trump â êng ing
		oo ooc ươ iê uô a1 hoa̧ giị Ðà`)
	for _, w := range invalid {
		if isSyllable([]rune(w)) {
			t.Errorf("isSyllable(%q) = true, want false", w)
		}
	}
	for _, w := range []string{"tàt", "càp", "hòc", "thàch", "hỏt"} {
		if isSyllable([]rune(w)) {
			t.Errorf("isSyllable(%q) = true: a stop takes only sắc or nặng", w)
		}
	}
}
