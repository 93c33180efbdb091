//go:build unix

package restore

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used, all threads and
// the garbage collector included: the measure `kho bench-ingest` reports.
// The machine is shared, so wall time says more about other processes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
