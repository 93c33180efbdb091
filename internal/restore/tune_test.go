package restore

import (
	"os"
	"strings"
	"testing"

	"kho/internal/vntext"
)

// TestTuneScoring prints accuracy on the development titles for a grid of
// scoring settings; it is how defaultScoring was chosen. It runs only with
// KHO_RESTORE_TUNE=1: it reads the corpus and proves nothing by itself.
func TestTuneScoring(t *testing.T) {
	if os.Getenv("KHO_RESTORE_TUNE") == "" {
		t.Skip("set KHO_RESTORE_TUNE=1 to tune the scoring on the development titles")
	}
	c := loadCorpus(t)
	m := c.model
	defer func() { m.scoring = defaultScoring }()
	for _, k := range []int{8, 16, 32} {
		for _, w := range []float64{0.5, 1, 2, 4} {
			m.scoring = defaultScoring
			m.scoring.maxCandidates, m.scoring.backoffWeight = k, w
			s := evaluate(c.dev, restoreWith(m))
			t.Logf("candidates %2d backoff %.2f: syllables %.2f %%, titles %.2f %%", k, w, 100*s.syllableRate(), 100*s.titleRate())
		}
	}
	m.scoring = defaultScoring
	shown := 0
	for _, title := range c.dev {
		want := strings.ToLower(vntext.Normalize(title))
		got, _ := m.Restore(vntext.Fold(want))
		if got != want && shown < 0 {
			t.Logf("want %s\n      got  %s", want, got)
			shown++
		}
	}
}
