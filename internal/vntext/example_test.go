package vntext_test

import (
	"fmt"

	"kho/internal/vntext"
)

func ExampleNormalize() {
	fmt.Println(vntext.Normalize("Hoà bình thuỷ lợi"))
	fmt.Println(vntext.Normalize("UỶ BAN nhân dân tỉnh Khánh Hoà"))
	fmt.Println(vntext.Normalize("Nguye\u0302\u0303n")) // decomposed (NFD)
	fmt.Println(vntext.Normalize("ngưòi baỏ"))          // misplaced marks
	fmt.Println(vntext.Normalize("quý già Hoàng café")) // already canonical, or not Vietnamese
	// Output:
	// Hòa bình thủy lợi
	// ỦY BAN nhân dân tỉnh Khánh Hòa
	// Nguyễn
	// người bảo
	// quý già Hoàng café
}

func ExampleFold() {
	fmt.Println(vntext.Fold("Đường Trường Sơn"))
	fmt.Println(vntext.Fold("Dân vận khéo"))
	fmt.Println(vntext.Fold("Nguye\u0302\u0303n")) // NFD folds like NFC
	// Output:
	// duong truong son
	// dan van kheo
	// nguyen
}

func ExampleClean() {
	fmt.Printf("%q\n", vntext.Clean("thị\u0323 xã\u00a0Sơn\u200bTây")) // stray dot below, NBSP, zero-width space
	fmt.Printf("%q\n", vntext.Clean("ÐBSCL\r\nthi \u0323trường\x08"))  // Ð for Đ, CRLF, isolated mark, backspace
	// Output:
	// "thị xã SơnTây"
	// "ĐBSCL\nthi trường"
}

func ExampleRepair() {
	// Repair composes and cleans but keeps the paper's spelling (hoà).
	fmt.Println(vntext.Repair("hoa\u0300 bình, chuyẹ\u0302n"))
	// Output: hoà bình, chuyện
}

func ExampleHasDiacritics() {
	fmt.Println(vntext.HasDiacritics("dan van"), vntext.HasDiacritics("dân vận"), vntext.HasDiacritics("Đa"))
	// Output: false true true
}

func ExampleSyllables() {
	s := "Hà Nội, bắt_đầu"
	for _, t := range vntext.Syllables(s) {
		fmt.Printf("%s [%d:%d]\n", t.Text, t.Start, t.End)
	}
	// Output:
	// Hà [0:3]
	// Nội [4:9]
	// bắt [11:16]
	// đầu [17:23]
}
