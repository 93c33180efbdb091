//go:build unix

package zapbuild

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps size bytes of f read-only.
func mapFile(f *os.File, size int) ([]byte, func() error, error) {
	mem, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return mem, func() error { return unix.Munmap(mem) }, nil
}

// dropPages drops mem's pages from the mapping; they stay in the page cache.
func dropPages(mem []byte) { unix.Madvise(mem, unix.MADV_DONTNEED) }
