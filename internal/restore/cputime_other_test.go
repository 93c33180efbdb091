//go:build !unix

package restore

import "time"

func processCPU() time.Duration { return 0 }
