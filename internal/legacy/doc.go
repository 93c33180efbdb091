// Package legacy finds Vietnamese text written in the pre-Unicode font
// encodings — TCVN3 (ABC, the .VnTime fonts), VNI-Windows and VISCII — and
// converts it to Unicode. Ingest runs it on every file and field before
// vntext cleans them: in TCVN3, U+00AD is the letter ư, not a soft hyphen.
//
// Legacy text arrives in two shapes: raw bytes, usually not valid UTF-8
// (DecodeBytes; DecodeField treats a string that is not UTF-8 the same way),
// or a UTF-8 string made by reading those bytes as Windows-1252 or Latin-1
// ("Céng hßa X· héi", "Coäng hoøa Xaõ hoäi"; DecodeField). Both are mapped
// back to the legacy bytes, decoded with each table, and judged by how many
// words become well-formed Vietnamese syllables (and, between equals, common
// ones). A text that looks legacy but converts badly, or that two tables read
// equally well, is kept as it was and reported (Result.Note); DecodeFields
// lets such a short field follow the record's other fields. Clean Unicode is
// recognized in one pass that allocates nothing and runs about as fast as
// utf8.ValidString.
//
// The tables follow TCVN 5712:1993 (VN3, the set of the ABC fonts; decoding
// also reads VN1's capitals where VN3 leaves its slots empty), RFC 1456
// (VISCII) and the VNI-Windows font chart. VN3 has no upper-case toned
// vowels: they were typed with the lower-case codes in a capitals font. The
// conversion restores them in all-capitals words ("CéNG" → "CỘNG") and at a
// sentence start; elsewhere ("Bà Lữ Thị Ỷ" in mid-sentence) they come back in
// lower case, and whole headlines typed in .VnTimeH with lower-case codes
// stay lower case.
//
// Not handled: Windows-1258 and VIQR; UTF-8 read twice as Windows-1252
// ("Viá»‡t"); a raw-bytes file mixing encodings is judged as a whole.
package legacy
