package restore

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"kho/internal/front"
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
	recent *front.Table      // in front of ids for intern: the forms learned most (nil until used)
	forms  []string          // id → form
	foldOf []uint32          // id → id of its folded form (interned too)
	count  []uint32          // id → occurrences of the form
	left   []uint32          // id → occurrences as the first of a counted pair
	kinds  []uint32          // id → distinct forms seen after it
	// numeric is, by id, whether the form has a digit: numbers are too
	// many to pair with. Kept by id so that learning a text whose ids are
	// known reads none of its forms.
	numeric []bool
	// variants lists, for a folded form's id, the ids of the forms that fold
	// to it (see ranked).
	variants [][]uint32
	pairs    pairTable // pairKey(first, second) → occurrences
	total    uint64    // occurrences of all forms
	// pending holds pairs Add learned but did not count yet; they are
	// counted in batches (see pairTable.addAll) before anything reads them.
	pending, scratch []uint64
	// textIDs holds, for the text being learned, the id of each of its
	// forms when the text did not bring them (learn).
	textIDs []uint32
	// numbering tells this model's ids from another's, and from the ones
	// it had before ReadFrom replaced them (see Intern).
	numbering atomic.Uint64

	scoring scoring
}

// numberings hands out the models' numberings.
var numberings atomic.Uint64

// Clause boundaries are two reserved forms, paired with the first and the
// last syllable of every clause: the model learns how clauses start and end
// ("ngắm" opens many a headline, "ngầm" rarely does).
const (
	clauseStart uint32 = iota // form "<s>"
	clauseEnd                 // form "</s>"
)

// NewModel returns an empty model.
func NewModel() *Model {
	m := &Model{ids: make(map[string]uint32), scoring: defaultScoring}
	m.numbering.Store(numberings.Add(1))
	m.newID("<s>", noID)
	m.newID("</s>", noID)
	return m
}

// Add learns the spelling of text: every syllable and every pair of
// syllables separated only by spaces or "_" (pairs never span punctuation
// or a line break). Call it once for each article field that holds prose.
func (m *Model) Add(text string) { m.learn(Spell(text), +1) }

// Remove forgets text learned by Add, for an article updated (Remove the old
// text, Add the new) or deleted. Counts stop at zero: a pair that Prune or
// a pruned save dropped is not an error.
func (m *Model) Remove(text string) { m.learn(Spell(text), -1) }

// Spelled is a text as the model learns it: Forms lists the forms of its
// syllables (Form), each syllable as written once ("Hà" and "hà" may both
// give "hà"), and Seq holds, for each syllable in order, the index of its
// form in Forms, or Break between two clauses: syllables that anything but
// spaces, tabs or "_" separates (Joins). The index writer makes it while it
// analyzes an article for its terms, so the text is split and normalized
// once, and the model looks each listed form up once, not once per
// syllable.
//
// IDs, when set, are the forms' ids in the model whose numbering is
// Numbering (Intern): a writer that keeps each syllable's id from text to
// text spares the model looking up every form of every text. They are
// ignored when the model's numbering is another.
type Spelled struct {
	Forms     []string
	Seq       []int32
	IDs       []uint32
	Numbering uint64
}

// Break stands in Spelled.Seq between two clauses.
const Break int32 = -1

// AddSpelled learns a text as Add would.
func (m *Model) AddSpelled(t Spelled) { m.learn(t, +1) }

// Spell is what the model learns of text (see Spelled).
func Spell(text string) Spelled {
	toks := vntext.Syllables(text)
	t := Spelled{Seq: make([]int32, 0, len(toks))}
	at := make(map[string]int32, len(toks))
	for i, tok := range toks {
		if i > 0 && !Joins(text[toks[i-1].End:tok.Start]) {
			t.Seq = append(t.Seq, Break)
		}
		j, ok := at[tok.Text]
		if !ok {
			j = int32(len(t.Forms))
			at[tok.Text] = j
			t.Forms = append(t.Forms, Form(tok.Text))
		}
		t.Seq = append(t.Seq, j)
	}
	return t
}

// Form is the form of a syllable the model counts: normalized
// (vntext.Normalize) and lower-cased, as the index's exact terms are. It
// is syllable itself when that is already so.
func Form(syllable string) string { return lower(vntext.Normalize(syllable)) }

// learn counts (delta +1) or uncounts (-1) the forms of one text.
func (m *Model) learn(t Spelled, delta int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if delta < 0 {
		m.flush()
	}
	// The id of each form (noID: too long to learn).
	ids := t.IDs
	if t.Numbering != m.numbering.Load() || len(ids) != len(t.Forms) {
		ids = m.textIDs[:0]
		for _, form := range t.Forms {
			ids = append(ids, m.formID(form))
		}
		m.textIDs = ids
	}
	prev := clauseStart
	for _, at := range t.Seq {
		if at == Break {
			if prev != clauseStart {
				if prev != noID {
					m.addPair(prev, clauseEnd, delta)
				}
				prev = clauseStart
			}
			continue
		}
		id := ids[at]
		if id == noID {
			prev = noID
			continue
		}
		m.addCount(id, delta)
		if m.numeric[id] {
			prev = noID
			continue
		}
		if prev != noID {
			m.addPair(prev, id, delta)
		}
		prev = id
	}
	if prev != noID && prev != clauseStart {
		m.addPair(prev, clauseEnd, delta)
	}
	if len(m.pending) >= maxPending {
		m.flush()
	}
}

// maxPending bounds the pairs waiting to be counted: large enough that a
// batch sweeps the table (halving it to 1<<16 costs Add a fifth more), small
// enough (2 MB) to flush in a few milliseconds.
const maxPending = 1 << 18

// Flush counts the pairs Add queued. Readers (Restore, WriteTo, Stats) do
// it themselves when needed; an index writer may call it after each batch
// so that no query pays for it.
func (m *Model) Flush() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.flush()
}

// flush counts the pending pairs. The caller holds the write lock.
func (m *Model) flush() {
	if len(m.pending) == 0 {
		return
	}
	m.scratch = m.pairs.addAll(m.pending, m.scratch, func(key uint64) { m.kinds[key>>32]++ })
	m.pending = m.pending[:0]
}

// readLock takes the read lock once every pending pair is counted.
func (m *Model) readLock() {
	m.mu.RLock()
	for len(m.pending) > 0 {
		m.mu.RUnlock()
		m.mu.Lock()
		m.flush()
		m.mu.Unlock()
		m.mu.RLock()
	}
}

const noID = ^uint32(0)

// Joins reports whether two syllables with sep between them belong to the
// same clause: only spaces, tabs and the "_" of word-segmented text.
func Joins(sep string) bool {
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

// Intern returns the id of form, adding the form to the model (with no
// occurrence) if new, and the model's numbering, which a Spelled whose IDs
// were made with these ids gives as its Numbering.
func (m *Model) Intern(form string) (id uint32, numbering uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.formID(form), m.numbering.Load()
}

// Numbering tells the model's ids from those of another model, or of
// this one before ReadFrom: a Spelled's IDs are used only while it is
// the same.
func (m *Model) Numbering() uint64 { return m.numbering.Load() }

// formID is the id of form, interned; noID for a form too long to learn.
func (m *Model) formID(form string) uint32 {
	if len(form) > maxFormLen {
		return noID
	}
	return m.intern(form)
}

// intern returns the id of form, adding it (and its folded form) if new.
// Every id sits in the variants of its folded form, even with count zero.
func (m *Model) intern(form string) uint32 {
	if m.recent == nil {
		m.recent = new(front.Table)
	}
	if id, ok := m.recent.Get(form); ok {
		return uint32(id)
	}
	if id, ok := m.ids[form]; ok {
		m.recent.Put(form, int32(id))
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
	m.numeric = append(m.numeric, hasDigit(form))
	m.variants = append(m.variants, nil)
	m.variants[fid] = append(m.variants[fid], id)
	return id
}

// addCount changes a form's count, never below zero.
func (m *Model) addCount(id uint32, delta int) {
	switch c := m.count[id]; {
	case delta > 0:
		m.count[id] = c + 1
		m.total++
	case c > 0:
		m.count[id] = c - 1
		m.total--
	}
}

// ranked returns the forms seen that fold to the folded form fid, most
// frequent first (ties in id order, so results never depend on the map).
// Sorting here rather than on every count keeps Add cheap.
func (m *Model) ranked(fid uint32) []uint32 {
	var ids []uint32
	for _, id := range m.variants[fid] {
		if m.count[id] > 0 {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(m.count[b], m.count[a]), cmp.Compare(a, b))
	})
	return ids
}

// addPair counts a pair now (delta -1) or queues it (delta +1).
func (m *Model) addPair(a, b uint32, delta int) {
	if delta > 0 {
		m.left[a]++
		m.pending = append(m.pending, pairKey(a, b))
		return
	}
	before := m.pairs.add(pairKey(a, b), delta)
	if before > 0 {
		m.left[a]--
	}
	if before == 1 {
		m.kinds[a]--
	}
}

// Prune drops the pairs seen fewer than min times. It keeps the first
// syllable's totals, so a dropped pair scores like one never seen.
func (m *Model) Prune(min uint32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.flush()
	m.pairs.prune(min)
}

// Stats describes a model's size.
type Stats struct {
	Forms  int    // distinct forms (lower-cased syllables and words)
	Pairs  int    // distinct pairs of adjacent forms
	Tokens uint64 // syllables learned
}

// Stats returns the model's size.
func (m *Model) Stats() Stats {
	m.readLock()
	defer m.mu.RUnlock()
	forms := 0
	for _, c := range m.count {
		if c > 0 {
			forms++
		}
	}
	return Stats{Forms: forms, Pairs: m.pairs.len(), Tokens: m.total}
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

// lower lower-cases a token. Most tokens already are: tell so quickly for
// the letters Vietnamese uses and leave the rest to strings.ToLower, whose
// rune-by-rune table search is a good part of the cost of Add.
func lower(s string) string {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return strings.ToLower(s)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if mayBeUpper(r) {
			return strings.ToLower(s)
		}
		i += n
	}
	return s
}

func mayBeUpper(r rune) bool {
	switch {
	case r >= 0x1EA0 && r <= 0x1EF9: // Latin Extended Additional: ạ, ế, ờ, …
		return r%2 == 0
	case r >= 0xDF && r <= 0xFF: // Latin-1 lower case: à, á, â, …
		return false
	case r == 'ă' || r == 'đ' || r == 'ĩ' || r == 'ũ' || r == 'ơ' || r == 'ư':
		return false
	}
	return unicode.ToLower(r) != r
}
