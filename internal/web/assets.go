package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets serves the embedded stylesheet, script and icon. Page links carry
// a hash of each file (?v=…), so browsers may keep a file forever and still
// fetch the new one after an upgrade.
type assets struct {
	files   fs.FS
	version map[string]string // file name → short content hash
	handler http.Handler
}

func newAssets() *assets {
	files, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	a := &assets{files: files, version: map[string]string{}}
	entries, _ := fs.ReadDir(files, ".")
	for _, e := range entries {
		b, err := fs.ReadFile(files, e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		a.version[e.Name()] = hex.EncodeToString(sum[:6])
	}
	a.handler = http.StripPrefix("/static/", http.FileServerFS(files))
	return a
}

// url is the versioned address of a static file, for templates.
func (a *assets) url(name string) string {
	v, ok := a.version[name]
	if !ok {
		panic("web: no static file " + name) // a template typo; New's callers see it in tests
	}
	return "/static/" + name + "?v=" + v
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	v, ok := a.version[name]
	if !ok { // no directory listings, no guessing
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("ETag", `"`+v+`"`)
	if r.URL.Query().Get("v") == v {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	a.handler.ServeHTTP(w, r)
}
