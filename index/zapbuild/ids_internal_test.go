package zapbuild

import (
	"fmt"
	"testing"
)

// The key filter holds every key it was given and lets few others by:
// scorch asks a bulk load's segments about keys they never had.
func TestKeyFilterPassesFewStrangers(t *testing.T) {
	for _, n := range []int{1, 40, 1000, 100_000} {
		f := newKeyFilter(n)
		for i := range n {
			f.add(fmt.Sprintf("vnexpress.net:s1-%08d", i))
		}
		for i := range n {
			if k := fmt.Sprintf("vnexpress.net:s1-%08d", i); !f.mayHold(k) {
				t.Fatalf("%d keys: lost %q", n, k)
			}
		}
		passed := 0
		const strangers = 20_000
		for i := range strangers {
			if f.mayHold(fmt.Sprintf("dantri.com.vn:s1-%08d", i)) {
				passed++
			}
		}
		if rate := float64(passed) / strangers; rate > 0.03 {
			t.Errorf("%d keys: %.1f %% of keys never added pass", n, 100*rate)
		}
	}
}
