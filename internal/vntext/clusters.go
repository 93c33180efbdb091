package vntext

import "strings"

// The vowel clusters of Vietnamese syllables (after the consonants qu and
// gi), by where they occur. A syllable whose cluster is not listed for its
// kind is not Vietnamese, and Normalize leaves it alone (Xêút, Léon).
const (
	// Clusters that end in a glide (i, y, o, u) or are ia, ua, ưa, uơ end the
	// syllable: mái, kêu, mía, mùa, thuở.
	openClusters = "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu " +
		"iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu"
	// Clusters that need a final consonant: tiếng, muốn, người, hoặc, tuần.
	closedClusters = "iê yê uô ươ oă uâ oo uyê"
	// Clusters that take a final consonant or not.
	anyClusters = "a ă â e ê i o ô ơ u ư y oa oe uê uy"
)

// clusterTable[clusterKey] describes a cluster: clusterOpen and clusterClosed
// say where it may occur, and the tone goes on vowel (e>>2)&3 of an open
// syllable and (e>>4)&3 of a closed one.
var clusterTable [1 << 12]uint8

const (
	clusterOpen uint8 = 1 << iota
	clusterClosed
)

func clusterKey(v []int8) int {
	k := 0
	for i, x := range v {
		k |= int(x+1) << (4 * i)
	}
	return k
}

func init() {
	for _, list := range []struct {
		clusters string
		where    uint8
	}{
		{openClusters, clusterOpen},
		{closedClusters, clusterClosed},
		{anyClusters, clusterOpen | clusterClosed},
	} {
		for _, c := range strings.Fields(list.clusters) {
			var v []int8
			for _, r := range c {
				v = append(v, vowelNumber(r))
			}
			clusterTable[clusterKey(v)] = list.where | uint8(tonePos(v, false))<<2 | uint8(tonePos(v, true))<<4
		}
	}
}

func vowelNumber(r rune) int8 {
	for i, x := range []rune(vowelLetters) {
		if x == r {
			return int8(i)
		}
	}
	panic("vntext: not a vowel: " + string(r))
}

// tonePos is DESIGN.md rule 3: a vowel with a hat or horn takes the tone (the
// last one: ươ → ơ); otherwise the last vowel of a closed syllable (toàn,
// huỳnh); otherwise the first of two vowels (hòa, khỏe, thủy, mùa) and the
// middle of three (ngoài, khuỷu).
func tonePos(v []int8, closed bool) int {
	for i := len(v) - 1; i >= 0; i-- {
		if hasHat(v[i]) {
			return i
		}
	}
	switch {
	case closed:
		return len(v) - 1
	case len(v) == 3:
		return 1
	}
	return 0
}

// clusterPos repairs a missing horn of ươ and returns the index, within the
// vowel cluster of p, of the vowel that takes the tone; -1 when the cluster
// is not Vietnamese.
func clusterPos(p *syllable) int {
	l := p.letters[p.vs:p.ve]
	closed := p.ve < p.n
	for i := 0; i+1 < len(l); i++ {
		switch {
		case l[i].vowel == vUw && l[i+1].vowel == vO: // ngưòi
			l[i+1].vowel, p.hornRepair = vOw, true
		case l[i].vowel == vU && l[i+1].vowel == vOw && (closed || i+2 < len(l)): // nguời, luơng; not thuở
			l[i].vowel, p.hornRepair = vUw, true
		}
	}
	var v [3]int8
	for i := range l {
		v[i] = l[i].vowel
	}
	e := clusterTable[clusterKey(v[:len(l)])]
	switch {
	case closed && e&clusterClosed != 0:
		return int(e>>4) & 3
	case !closed && e&clusterOpen != 0:
		return int(e>>2) & 3
	}
	return -1
}
