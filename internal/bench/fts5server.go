package bench

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"time"

	"kho/index"
	"kho/internal/request"
)

// FTS5Handler serves the baseline over HTTP the way kho serve answers
// GET /api/search: the same parameters, parsed by the same code, and a JSON
// response with the total, the facets and a page of highlighted hits. Both
// engines then pay for HTTP and JSON alike.
func FTS5Handler(db *sql.DB, loc *time.Location) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /api/search", func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		req, err := request.ParseSearch(v, loc)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		size := req.Size
		if size == 0 {
			size = request.DefaultSize
		}
		page := max(req.Page, 1)
		res, err := SearchFTS5(r.Context(), db, FTS5Search{
			Text: v.Get("q"), Sources: req.Sources, Categories: req.Categories,
			From: req.From, To: req.To, Newest: req.Sort == index.SortNewest,
			Offset: (page - 1) * size, Size: size,
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(res)
	})
	return mux
}
