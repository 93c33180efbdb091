// Package legacy finds Vietnamese text written in the pre-Unicode font
// encodings — TCVN3 (ABC, the .VnTime fonts), VNI-Windows and VISCII — and
// converts it to Unicode, at ingest, before vntext cleans it (in TCVN3, U+00AD
// is the letter ư, not a soft hyphen).
//
// Legacy text arrives in two shapes: raw bytes in a file, usually not valid
// UTF-8 (DecodeBytes), or a UTF-8 string made by reading those bytes as
// Windows-1252 or Latin-1 ("Céng hßa X· héi", "Coäng hoøa Xaõ hoäi";
// DecodeField). Both are mapped back to the legacy bytes, decoded with each
// table and judged by how many words become Vietnamese syllables. A field that
// looks legacy but converts badly is kept as it was and reported; clean
// Unicode is recognized in one pass without allocating.
//
// The tables follow TCVN 5712:1993 (VN3, the ABC fonts), RFC 1456 (VISCII)
// and the VNI-Windows font chart. Stdlib and x/text only.
package legacy
