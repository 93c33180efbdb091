package index

// relatedTuning holds the knobs of Related. The defaults were chosen by
// measuring precision and recall on the same-story clusters of the shared
// corpus (BENCHMARKS.md, "Related stories"); the evaluation test varies them.
type relatedTuning struct {
	// Where a unit occurs: the title and the lead say what the story is about.
	titleWeight, leadWeight float64
	leadBytes               int // lead of a text without a summary
	maxBodyBytes            int // the rest of a long body adds little but time

	// Unit weight: tf^tfPower × idf^idfPower, × nameBoost for names.
	tfPower, idfPower float64
	nameBoost         float64
	maxDFRatio        float64 // syllables in more articles than this share are noise…
	minCommonDF       uint64  // …when they are in more articles than this
	minNumberLen      int     // shorter numbers (days, months) are dropped
	pairBoost         float64
	pairOtherIDF      float64 // a pair's idf: the rarer syllable's + this × the other's
	maxUnigrams       int
	maxPairs          int
	postingsBudget    uint64 // the chosen syllables' document frequencies add up to at most this (0: no limit)

	// The query.
	fields     []string
	fieldBoost map[string]float64
	candidates func(size int) int

	candidateBodyBytes int // of a candidate's body, compared with the story

	// Dates: score × (1 + dateBoost / (1 + |Δdays| / dateScaleDays)).
	dateBoost, dateScaleDays float64

	// Copies.
	copyJaccard float64
}

var defaultTuning = relatedTuning{
	titleWeight: 3, leadWeight: 2, leadBytes: 400, maxBodyBytes: 6000,
	tfPower: 0.5, idfPower: 1, nameBoost: 1.5, maxDFRatio: 0.2, minCommonDF: 100, minNumberLen: 3,
	pairBoost: 1, pairOtherIDF: 0.5, maxUnigrams: 25, maxPairs: 10,
	fields:             []string{FieldTitle, FieldText},
	fieldBoost:         map[string]float64{FieldTitle: 2, FieldText: 1},
	candidates:         func(size int) int { return 3*size + 1 },
	candidateBodyBytes: 2000,
	dateBoost:          1, dateScaleDays: 30,
	copyJaccard: 0.6,
}
