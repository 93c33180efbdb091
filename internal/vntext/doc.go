// Package vntext holds pure functions over Vietnamese text: cleaning, NFC
// and canonical tone placement (Normalize), diacritic folding (Fold) and
// syllable tokenizing with byte offsets into the original string.
//
// Strings in, strings out: no I/O, no bleve. The rules are those of DESIGN.md
// "Vietnamese text". The functions agree with one another: Normalize and Fold
// are idempotent, Fold(Normalize(s)) == Fold(s) for every s, and Clean,
// Repair and Normalize return their input without allocating when it is
// already clean (NFC, canonical). They work from rune tables built at start-up
// from Unicode data for the Latin, Greek and Cyrillic blocks; other runes are
// looked up in golang.org/x/text.
package vntext
