package restore

import (
	"strings"
	"sync"
	"unicode"

	"kho/internal/vntext"
)

// maxFormLen bounds the tokens the model learns: longer runs of letters
// are URLs, hashes or glued words, never syllables worth restoring.
const maxFormLen = 32

// Model counts how the archive writes each syllable and each pair of
// adjacent syllables. Forms are lower-cased and normalized (vntext.Normalize);
// every form is interned to a uint32 id and pairs are keyed by the two ids,
// so memory grows with the vocabulary and the distinct pairs, not the text.
//
// A Model is safe for concurrent use: Add and Remove take a write lock,
// Restore a read lock. The zero value is not usable; call NewModel.
type Model struct {
	mu sync.RWMutex

	ids    map[string]uint32 // form → id
	forms  []string          // id → form
	foldOf []uint32          // id → id of its folded form (interned too)
	count  []uint32          // id → occurrences of the form
	left   []uint32          // id → occurrences as the first of a counted pair
	kinds  []uint32          // id → distinct forms seen after it
	// variants lists, for a folded form's id, the ids of the forms that fold
	// to it, most frequent first.
	variants [][]uint32
	pairs    map[uint64]uint32 // pairKey(first, second) → occurrences
	total    uint64            // occurrences of all forms

	scoring scoring
}

// NewModel returns an empty model.
func NewModel() *Model {
	return &Model{ids: make(map[string]uint32), pairs: make(map[uint64]uint32), scoring: defaultScoring}
}

func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

// Add learns the spelling of text: every syllable and every pair of
// syllables separated only by spaces or "_" (pairs never span punctuation
// or a line break). Call it once for each article field that holds prose.
func (m *Model) Add(text string) { m.learn(text, +1) }

// Remove forgets text learned by Add, for an article updated (Remove the old
// text, Add the new) or deleted. Counts stop at zero: a pair that Prune or
// a pruned save dropped is not an error.
func (m *Model) Remove(text string) { m.learn(text, -1) }

func (m *Model) learn(text string, delta int) {
	text = vntext.Normalize(text)
	toks := vntext.Syllables(text)
	m.mu.Lock()
	defer m.mu.Unlock()
	prev, prevEnd := noID, 0
	for _, tok := range toks {
		id := noID
		if form := strings.ToLower(tok.Text); len(form) <= maxFormLen {
			id = m.intern(form)
			m.addCount(id, delta)
			if hasDigit(tok.Text) {
				id = noID // numbers are too many to pair with
			}
		}
		if prev != noID && id != noID && joins(text[prevEnd:tok.Start]) {
			m.addPair(prev, id, delta)
		}
		prev, prevEnd = id, tok.End
	}
}

const noID = ^uint32(0)

// joins reports whether two syllables with sep between them belong to the
// same clause: only spaces, tabs and the "_" of word-segmented text.
func joins(sep string) bool {
	for i := 0; i < len(sep); i++ {
		if c := sep[i]; c != ' ' && c != '\t' && c != '_' {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// intern returns the id of form, adding it (and its folded form) if new.
// Every id sits in the variants of its folded form, even with count zero.
func (m *Model) intern(form string) uint32 {
	if id, ok := m.ids[form]; ok {
		return id
	}
	folded := vntext.Fold(form)
	fid, ok := m.ids[folded]
	if !ok {
		fid = m.newID(folded, noID)
	}
	if folded == form {
		return fid
	}
	return m.newID(form, fid)
}

// newID adds form, whose folded form has the id fid (noID: form itself).
func (m *Model) newID(form string, fid uint32) uint32 {
	id := uint32(len(m.forms))
	if fid == noID {
		fid = id
	}
	form = strings.Clone(form) // never pin the article text the form was cut from
	m.ids[form] = id
	m.forms = append(m.forms, form)
	m.foldOf = append(m.foldOf, fid)
	m.count = append(m.count, 0)
	m.left = append(m.left, 0)
	m.kinds = append(m.kinds, 0)
	m.variants = append(m.variants, nil)
	m.variants[fid] = append(m.variants[fid], id)
	return id
}

// addCount changes a form's count and keeps its fold's variants sorted.
func (m *Model) addCount(id uint32, delta int) {
	c := m.count[id]
	switch {
	case delta > 0:
		m.count[id] = c + 1
		m.total++
	case c > 0:
		m.count[id] = c - 1
		m.total--
	default:
		return
	}
	vs := m.variants[m.foldOf[id]]
	i := 0
	for vs[i] != id {
		i++
	}
	for i > 0 && m.count[vs[i-1]] < m.count[vs[i]] {
		vs[i-1], vs[i] = vs[i], vs[i-1]
		i--
	}
	for i+1 < len(vs) && m.count[vs[i+1]] > m.count[vs[i]] {
		vs[i+1], vs[i] = vs[i], vs[i+1]
		i++
	}
}

func (m *Model) addPair(a, b uint32, delta int) {
	key := pairKey(a, b)
	c := m.pairs[key]
	switch {
	case delta > 0:
		if c == 0 {
			m.kinds[a]++
		}
		m.pairs[key] = c + 1
		m.left[a]++
	case c > 1:
		m.pairs[key] = c - 1
		m.left[a]--
	case c == 1:
		delete(m.pairs, key)
		m.kinds[a]--
		m.left[a]--
	}
}

// Prune drops the pairs seen fewer than min times. It keeps the first
// syllable's totals, so a dropped pair scores like one never seen.
func (m *Model) Prune(min uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for key, c := range m.pairs {
		if c < min {
			delete(m.pairs, key)
		}
	}
}

// Stats describes a model's size.
type Stats struct {
	Forms  int    // distinct forms (lower-cased syllables and words)
	Pairs  int    // distinct pairs of adjacent forms
	Tokens uint64 // syllables learned
}

// Stats returns the model's size.
func (m *Model) Stats() Stats {
	m.mu.RLock()
	defer m.mu.RUnlock()
	forms := 0
	for _, c := range m.count {
		if c > 0 {
			forms++
		}
	}
	return Stats{Forms: forms, Pairs: len(m.pairs), Tokens: m.total}
}

// isUpper reports whether the token's letters are all upper case.
func isUpper(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters > 0
}
