package legacy_test

import (
	"fmt"

	"kho/internal/legacy"
)

// A TCVN3 headline that was read as Windows-1252 and saved as UTF-8.
func ExampleDecodeField() {
	r := legacy.DecodeField("Céng hßa X· héi chñ nghÜa ViÖt Nam", legacy.Auto)
	fmt.Println(r.Text)
	fmt.Println(r.Encoding, r.Converted, r.Confidence)
	// Output:
	// Cộng hòa Xã hội chủ nghĩa Việt Nam
	// tcvn3 true 1
}

// Unicode text, the common case, is left alone.
func ExampleDecodeField_unicode() {
	r := legacy.DecodeField("Cộng hòa Xã hội chủ nghĩa Việt Nam", legacy.Auto)
	fmt.Println(r.Text, r.Converted)
	// Output:
	// Cộng hòa Xã hội chủ nghĩa Việt Nam false
}

// Raw VNI-Windows bytes from an old file: each toned vowel is a base letter
// and a mark byte.
func ExampleDecodeBytes() {
	r := legacy.DecodeBytes([]byte("Tr\xf6\xf4\xf8ng ho\xefc"), legacy.Auto)
	fmt.Println(r.Text, r.Encoding)
	// Output:
	// Trường học vni
}

// Text that looks legacy but that no table makes Vietnamese is kept and
// reported.
func ExampleDecodeField_kept() {
	r := legacy.DecodeField("Größe, Übermaß und Gemütlichkeit für Müßiggänger", legacy.Auto)
	fmt.Println(r.Converted, r.Text)
	fmt.Println(r.Report())
	// Output:
	// false Größe, Übermaß und Gemütlichkeit für Müßiggänger
	// true
}
