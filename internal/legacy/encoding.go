package legacy

import (
	"fmt"
	"strings"
)

// Encoding names how a text was written. Its String form is the value of the
// --encoding flag.
type Encoding uint8

const (
	Auto    Encoding = iota // detect: the default of --encoding
	Unicode                 // UTF-8 (or UTF-8 that never needed converting)
	TCVN3                   // TCVN 5712:1993 VN3, the ABC fonts (.VnTime)
	VNI                     // VNI-Windows: a base letter then a mark byte
	VISCII                  // RFC 1456
)

// Legacy lists the legacy encodings in the order detection tries them.
var Legacy = []Encoding{TCVN3, VNI, VISCII}

var encodingNames = [...]string{Auto: "auto", Unicode: "utf8", TCVN3: "tcvn3", VNI: "vni", VISCII: "viscii"}

func (e Encoding) String() string {
	if int(e) < len(encodingNames) {
		return encodingNames[e]
	}
	return fmt.Sprintf("Encoding(%d)", e)
}

// ParseEncoding reads a --encoding value: auto, utf8, tcvn3, vni or viscii
// (case-insensitive; "unicode", "utf-8", "abc" and "vn3" are accepted too).
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "":
		return Auto, nil
	case "utf8", "utf-8", "unicode":
		return Unicode, nil
	case "tcvn3", "tcvn", "abc", "vn3":
		return TCVN3, nil
	case "vni", "vni-windows":
		return VNI, nil
	case "viscii":
		return VISCII, nil
	}
	return Auto, fmt.Errorf("unknown encoding %q: want auto, utf8, tcvn3, vni or viscii", s)
}

// Set and the String method make *Encoding a flag.Value:
// fs.Var(&enc, "encoding", "auto|utf8|tcvn3|vni|viscii").
func (e *Encoding) Set(s string) error {
	v, err := ParseEncoding(s)
	if err != nil {
		return err
	}
	*e = v
	return nil
}
