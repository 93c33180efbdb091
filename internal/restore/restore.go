package restore

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"kho/internal/vntext"
)

// scoring holds the knobs of the search, tuned on held-out titles (never
// the test titles; see corpus_test.go and BENCHMARKS.md).
type scoring struct {
	// maxCandidates is how many forms of a folded syllable the search
	// weighs, most frequent first; the rest are rare spellings and typos.
	maxCandidates int
	// backoffWeight scales the Witten-Bell mass given to the unigram
	// model after a syllable: how far to trust pairs never seen.
	backoffWeight float64
	// keysPenalty is the log-odds against reading a token the archive
	// knows as a word ("bus", "of") as Telex or VNI keystrokes ("bú", "ò").
	keysPenalty float64
	// typedBonus is the log-odds for keeping a plain syllable as typed in
	// a query that has diacritics elsewhere: there, "ban nhạc" is more
	// likely meant than a slip for the commoner "bản nhạc".
	typedBonus float64
}

var defaultScoring = scoring{maxCandidates: 16, backoffWeight: 2, keysPenalty: -5, typedBonus: 4}

// candidate is one way to write a syllable of the query.
type candidate struct {
	id    uint32 // noID: a word the model lacks, or a syllable decoded from keystrokes it never saw
	form  string
	prior float64 // log penalty added to its score
}

// pairID is the id a candidate takes part in pairs with: numbers, like
// unknown words, have none (the model never pairs them).
func (c candidate) pairID() uint32 {
	if hasDigit(c.form) {
		return noID
	}
	return c.id
}

// slot is one syllable of the query and the forms it may take.
type slot struct {
	tok    vntext.Token
	cands  []candidate
	fixed  bool // written as typed: it has diacritics or the model lacks it
	joined bool // in the same clause as the slot before it
}

// Restore returns query with diacritics put back on the syllables typed
// without them, and whether anything changed. Syllables typed with
// diacritics stay exactly as typed and steer their neighbours; numbers,
// punctuation and words the model does not know stay as typed; case is
// kept ("Ha Noi" → "Hà Nội"). Tokens left in Telex or VNI keystrokes are
// read as the syllable they spell ("Vieejt" → "Việt") unless the archive
// knows them as words and the context does not call for the syllable.
//
// A query with diacritics somewhere was typed on a Vietnamese keyboard, so
// its plain syllables are probably meant plain: one changes only when the
// context makes another form e⁴ ≈ 55 times likelier ("Hà noi" → "Hà nội",
// but "ban nhạc" stays). Such queries are almost never rewritten.
func (m *Model) Restore(query string) (string, bool) {
	toks := vntext.Syllables(query)
	if len(toks) == 0 {
		return query, false
	}
	m.readLock()
	defer m.mu.RUnlock()
	if m.total == 0 {
		return query, false
	}
	slots := m.slots(query, toks)
	best := m.viterbi(slots)
	var b strings.Builder
	last := 0
	for i, s := range slots {
		b.WriteString(query[last:s.tok.Start])
		last = s.tok.End
		form := s.cands[best[i]].form
		if s.fixed || form == strings.ToLower(s.tok.Text) {
			b.WriteString(s.tok.Text)
			continue
		}
		b.WriteString(withCase(s.tok.Text, form))
	}
	b.WriteString(query[last:])
	out := b.String()
	return out, out != query
}

func (m *Model) slots(query string, toks []vntext.Token) []slot {
	slots := make([]slot, len(toks))
	marked := vntext.HasDiacritics(query)
	for i, tok := range toks {
		s := &slots[i]
		s.tok = tok
		s.joined = i > 0 && Joins(query[toks[i-1].End:tok.Start])
		lower := strings.ToLower(tok.Text)
		if vntext.HasDiacritics(tok.Text) {
			s.fixed = true
			s.cands = []candidate{m.known(vntext.Normalize(lower))}
			continue
		}
		s.cands = m.plainCandidates(lower, tok.Text)
		if len(s.cands) == 0 {
			s.fixed = true
			s.cands = []candidate{{id: noID, form: lower}}
		}
		for j := range s.cands {
			if marked && s.cands[j].form == lower {
				s.cands[j].prior += m.scoring.typedBonus
			}
		}
	}
	return slots
}

// known returns form as a candidate, with its id if the model has it.
func (m *Model) known(form string) candidate {
	id, ok := m.ids[form]
	if !ok || m.count[id] == 0 {
		id = noID
	}
	return candidate{id: id, form: form}
}

// plainCandidates lists the forms a syllable typed without diacritics may
// stand for: the forms that fold to it, then the syllable its keystrokes
// spell, if any.
func (m *Model) plainCandidates(lower, typed string) []candidate {
	var cands []candidate
	if fid, ok := m.ids[lower]; ok {
		for _, id := range m.ranked(m.foldOf[fid]) {
			if len(cands) == m.scoring.maxCandidates {
				break
			}
			cands = append(cands, candidate{id: id, form: m.forms[id]})
		}
	}
	spelled, ok := decodeKeys(typed)
	if !ok {
		return cands
	}
	prior := 0.0
	if len(cands) > 0 {
		prior = m.scoring.keysPenalty
	}
	return append(cands, m.spelledCandidates(spelled, prior)...)
}

// spelledCandidates returns the syllable decoded from keystrokes; when the
// reader typed no tone key, every toned form the model knows with those
// letters and marks ("vieet" → "việt", "viết").
func (m *Model) spelledCandidates(spelled string, prior float64) []candidate {
	if stripTone(spelled) != spelled {
		c := m.known(spelled)
		c.prior = prior
		return []candidate{c}
	}
	var cands []candidate
	if fid, ok := m.ids[vntext.Fold(spelled)]; ok {
		for _, id := range m.ranked(fid) {
			if stripTone(m.forms[id]) == spelled && len(cands) < m.scoring.maxCandidates {
				cands = append(cands, candidate{id: id, form: m.forms[id], prior: prior})
			}
		}
	}
	if len(cands) == 0 {
		cands = append(cands, candidate{id: noID, form: spelled, prior: prior})
	}
	return cands
}

// viterbi returns, for each slot, the index of the candidate on the most
// likely path under the bigram model, clause boundaries included.
func (m *Model) viterbi(slots []slot) []int {
	score := make([][]float64, len(slots))
	back := make([][]int, len(slots))
	for i, s := range slots {
		score[i] = make([]float64, len(s.cands))
		back[i] = make([]int, len(s.cands))
		for j, c := range s.cands {
			if i == 0 {
				score[i][j] = c.prior + m.logPair(clauseStart, c.pairID())
				continue
			}
			best, arg := math.Inf(-1), 0
			for k, p := range slots[i-1].cands {
				sc := score[i-1][k] + m.logNext(p.pairID(), c.pairID(), s.joined)
				if sc > best {
					best, arg = sc, k
				}
			}
			score[i][j], back[i][j] = best+c.prior, arg
		}
	}
	last := len(slots) - 1
	path := make([]int, len(slots))
	best := math.Inf(-1)
	for j, c := range slots[last].cands {
		if sc := score[last][j] + m.logPair(c.pairID(), clauseEnd); sc > best {
			best, path[last] = sc, j
		}
	}
	for i := last; i > 0; i-- {
		path[i-1] = back[i][path[i]]
	}
	return path
}

// logNext scores b after a: as a pair within a clause, or as the end of
// one clause and the start of the next across punctuation.
func (m *Model) logNext(a, b uint32, joined bool) float64 {
	if joined {
		return m.logPair(a, b)
	}
	return m.logPair(a, clauseEnd) + m.logPair(clauseStart, b)
}

// logPair is log P(b | a): Witten-Bell interpolation of the pair counts
// with the unigram model; the unigram alone when a is not known.
func (m *Model) logPair(a, b uint32) float64 {
	if a == noID || m.left[a] == 0 {
		return m.logUnigram(b)
	}
	pu := m.unigram(b)
	mass := m.scoring.backoffWeight * float64(m.kinds[a])
	return math.Log((float64(m.pairs.get(pairKey(a, b))) + mass*pu) / (float64(m.left[a]) + mass))
}

func (m *Model) logUnigram(id uint32) float64 { return math.Log(m.unigram(id)) }

// unigram is the probability of a form; a word the model never saw counts
// as half an occurrence, and a clause end as often as clauses start.
func (m *Model) unigram(id uint32) float64 {
	switch id {
	case noID:
		return 0.5 / float64(m.total)
	case clauseEnd:
		return float64(max(1, m.left[clauseStart])) / float64(m.total)
	}
	return float64(max(1, m.count[id])) / float64(m.total)
}

// withCase writes form with the case the reader typed: "HA" → "HÀ",
// "Noi" → "Nội", "noi" → "nội".
func withCase(typed, form string) string {
	if utf8.RuneCountInString(typed) > 1 && isUpper(typed) {
		return strings.ToUpper(form)
	}
	if r, _ := utf8.DecodeRuneInString(typed); unicode.IsUpper(r) {
		f, n := utf8.DecodeRuneInString(form)
		return string(unicode.ToUpper(f)) + form[n:]
	}
	return form
}
