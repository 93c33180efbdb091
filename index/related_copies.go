package index

import (
	"hash/fnv"
	"slices"
)

// Papers republish each other's articles word for word, sometimes with a new
// title, a byline or a trimmed ending. An editor wants to see such a story
// once, with the other papers named, while different reports of the same
// event stay separate hits. Copies are recognized by the share of word
// sequences (shingles) their texts have in common.

// shingleWords is how many syllables a shingle spans: long enough that two
// reports of one event in their own words share few of them.
const shingleWords = 4

// minShingles is the least a text must have to be judged a copy; shorter
// texts (a title and a line) say too little.
const minShingles = 8

// foldCopies keeps the best-ranked candidate of each group of near-identical
// texts, listing the others' keys and sources, until it has kept size
// candidates. cs must be in rank order.
func foldCopies(cs []*candidate, size int, t relatedTuning) []*candidate {
	var kept []*candidate
	for _, c := range cs {
		if k := copyOf(c, kept, t.copyJaccard); k != nil {
			k.copies = append(k.copies, c.dm.ID)
			if c.source != k.source && !slices.Contains(k.alsoIn, c.source) {
				k.alsoIn = append(k.alsoIn, c.source)
			}
			continue
		}
		if len(kept) == size {
			break
		}
		kept = append(kept, c)
	}
	return kept
}

// copyOf returns the kept candidate c nearly equals, or nil.
func copyOf(c *candidate, kept []*candidate, threshold float64) *candidate {
	if len(c.shingles) < minShingles {
		return nil
	}
	for _, k := range kept {
		if len(k.shingles) >= minShingles && jaccard(c.shingles, k.shingles) >= threshold {
			return k
		}
	}
	return nil
}

// shingles hashes every run of shingleWords syllables of each part.
func shingles(parts ...[]token) map[uint64]struct{} {
	out := map[uint64]struct{}{}
	h := fnv.New64a()
	for _, toks := range parts {
		for i := 0; i+shingleWords <= len(toks); i++ {
			h.Reset()
			for _, t := range toks[i : i+shingleWords] {
				h.Write([]byte(t.folded))
				h.Write([]byte{' '})
			}
			out[h.Sum64()] = struct{}{}
		}
	}
	return out
}

func jaccard(a, b map[uint64]struct{}) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	common := 0
	for k := range a {
		if _, ok := b[k]; ok {
			common++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}
