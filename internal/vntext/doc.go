// Package vntext holds pure functions over Vietnamese text: cleaning, NFC
// and canonical tone placement (Normalize), diacritic folding (Fold) and
// syllable tokenizing with byte offsets into the original string.
//
// Strings in, strings out: no I/O, no bleve. The rules are those of DESIGN.md
// "Vietnamese text".
package vntext
