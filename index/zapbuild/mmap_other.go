//go:build !unix

package zapbuild

import "os"

// mapFile fails where kho does not map files itself: the merge is zap's.
func mapFile(*os.File, int) ([]byte, func() error, error) { return nil, nil, errUnsupported }

func dropPages([]byte) {}
