// Package restore puts the diacritics back into Vietnamese typed without
// them. A Model learns from the archive how each folded syllable and each
// pair of adjacent syllables is written (counts of exact forms), and
// Restore finds the most likely spelling of a query with a Viterbi search
// over those forms: "dan van kheo" → "dân vận khéo". It also reads
// syllables left in Telex or VNI keystrokes ("Vieejt", "d9u7o7ng2") and
// leaves English words alone.
//
// The package depends only on vntext and the standard library; the index
// decides where the model lives and when it learns.
package restore
