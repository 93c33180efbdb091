package server

import (
	"kho/index"
	"kho/internal/httpapi"
)

// newArchive is the write side of the API; filled in when ingest lands.
func newArchive(ix *index.Index, m *metrics) httpapi.Archive { return nil }
