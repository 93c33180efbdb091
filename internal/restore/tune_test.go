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
	for _, bonus := range []float64{0, 1, 2, 3, 4, 6} {
		m.scoring = defaultScoring
		m.scoring.typedBonus = bonus
		kept, half := typedWithDiacritics(c.dev, m)
		t.Logf("typed bonus %.0f: titles typed with diacritics rewritten %.2f %%; half the marks dropped: syllables %.2f %%, titles %.2f %%",
			bonus, 100*kept, 100*half.syllableRate(), 100*half.titleRate())
	}
	m.scoring = defaultScoring
	shown := 0
	for _, title := range c.dev {
		want := strings.ToLower(vntext.Normalize(title))
		got, _ := m.Restore(want)
		if got != want && shown < 20 {
			t.Logf("want %s\n      got  %s", want, got)
			shown++
		}
	}
}
