package vntext

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kho/internal/shared"
)

// TestCorpus runs the real archives of ../shared/corpus through Repair and
// Normalize: decomposed text (tuoitre, vims), marks in a non-canonical order
// (dantri), stray marks and invisible characters (baomoi), old tone placement
// (vims, 24h).
func TestCorpus(t *testing.T) {
	files := []string{"tuoitre.jsonl.gz", "dantri.jsonl.gz", "24h.jsonl.gz", "vims.jsonl.gz", "vmds.jsonl.gz"}
	if !testing.Short() {
		files = append(files, "baomoi.jsonl.gz") // 38 MB: the stray marks
	}
	var oldBefore, oldAfter, changed int
	for _, name := range files {
		err := eachText(shared.Corpus(t, name), func(id, field, text string) {
			where := name + " " + id + " " + field
			checkRepaired(t, where, Repair(text))
			n := Normalize(text)
			if nn := Normalize(n); nn != n {
				t.Errorf("%s: Normalize is not idempotent", where)
			}
			if Fold(n) != Fold(text) {
				t.Errorf("%s: Fold(Normalize(text)) != Fold(text)", where)
			}
			before, after := Syllables(Repair(text)), Syllables(n)
			if len(before) != len(after) {
				t.Errorf("%s: Normalize changed the syllable count: %d → %d", where, len(before), len(after))
				return
			}
			for i := range before {
				oldBefore += oldStyle(before[i].Text)
				oldAfter += oldStyle(after[i].Text)
				if before[i].Text != after[i].Text {
					changed++
				}
			}
		})
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
	}
	t.Logf("old-style syllables: %d before Normalize, %d after; %d syllables changed", oldBefore, oldAfter, changed)
	if oldBefore == 0 || oldAfter != 0 {
		t.Errorf("old-style syllables: %d before Normalize, %d after; want some before and none after", oldBefore, oldAfter)
	}
}

// checkRepaired fails when repaired text still has what Clean removes or is
// not NFC. The corpus holds no legitimate combining mark once composed.
func checkRepaired(t *testing.T, where, s string) {
	t.Helper()
	if !norm.NFC.IsNormalString(s) {
		t.Errorf("%s: Repair did not give NFC", where)
	}
	for i, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || r >= 0x7F && r <= 0xA0 || r == 0xAD || r >= 0x200B && r <= 0x200F || r == 0xFEFF ||
			r >= 0x300 && r < 0x370 || r == 'Ð' || r == 'ð' {
			t.Errorf("%s: Repair left %U at byte %d: %q", where, r, i, context(s, i))
		}
	}
}

// oldStyle reports (as 0 or 1) whether a syllable is an initial consonant
// and oa, oe or uy with the tone on the second vowel (hoà, khoẻ, thuỷ; not
// quý, not Chloé).
func oldStyle(syl string) int {
	r := []rune(strings.ToLower(syl))
	n := len(r)
	if n < 2 || !slices.Contains(initials, string(r[:n-2])) {
		return 0
	}
	first, last := r[n-2], r[n-1]
	toned := strings.ContainsRune("àảãáạèẻẽéẹỳỷỹýỵ", last)
	base := Fold(string(last))
	if toned && (first == 'o' && (base == "a" || base == "e") || first == 'u' && base == "y") {
		return 1
	}
	return 0
}

var initials = append([]string{""}, strings.Fields("b c ch d đ g gh h k kh l m n ng ngh nh p ph r s t th tr v x")...)

func context(s string, i int) string {
	lo, hi := max(0, i-20), min(len(s), i+20)
	return strings.ToValidUTF8(s[lo:hi], "")
}

// eachText calls f with the title, summary and body of every record of a
// corpus file.
func eachText(path string, f func(id, field, text string)) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	zr, err := gzip.NewReader(file)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		var rec struct{ ID, Title, Summary, Body string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		for _, field := range []struct{ name, text string }{
			{"title", rec.Title}, {"summary", rec.Summary}, {"body", rec.Body},
		} {
			if !utf8.ValidString(field.text) {
				return fmt.Errorf("line %d: %s: invalid UTF-8", line, field.name)
			}
			f(rec.ID, field.name, field.text)
		}
	}
	return sc.Err()
}
