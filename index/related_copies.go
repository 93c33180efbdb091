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

// foldCopies keeps the best-ranked hit of each group of near-identical texts
// and lists the other members' sources in its AlsoIn. hits must be in rank
// order.
func foldCopies(hits []relatedHit, t relatedTuning) []relatedHit {
	var kept []relatedHit
	var sets []map[uint64]struct{}
	for _, h := range hits {
		s := shingles(h.text, t.copyBytes)
		if i := copyOf(s, sets, t.copyJaccard); i >= 0 {
			k := &kept[i]
			k.copies = append(k.copies, h.ID)
			if h.Source != k.Source && !slices.Contains(k.AlsoIn, h.Source) {
				k.AlsoIn = append(k.AlsoIn, h.Source)
			}
			continue
		}
		kept = append(kept, h)
		sets = append(sets, s)
	}
	return kept
}

// copyOf returns the index of the first set s nearly equals, or -1.
func copyOf(s map[uint64]struct{}, sets []map[uint64]struct{}, threshold float64) int {
	if len(s) < minShingles {
		return -1
	}
	for i, o := range sets {
		if len(o) >= minShingles && jaccard(s, o) >= threshold {
			return i
		}
	}
	return -1
}

// shingles hashes every run of shingleWords folded syllables in the first
// maxBytes of text.
func shingles(text string, maxBytes int) map[uint64]struct{} {
	_, folded := analyzers()
	stream := folded.Analyze([]byte(cutAtSpace(text, maxBytes)))
	out := make(map[uint64]struct{}, len(stream))
	h := fnv.New64a()
	for i := 0; i+shingleWords <= len(stream); i++ {
		h.Reset()
		for _, t := range stream[i : i+shingleWords] {
			h.Write(t.Term)
			h.Write([]byte{' '})
		}
		out[h.Sum64()] = struct{}{}
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
