package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// onlyParams refuses a request that names a parameter the endpoint does not
// know, or gives one twice, with a 400 naming it: a misspelt parameter is
// an error, never silently ignored. (Search checks its own in
// request.ParseSearch.)
func (s *Server) onlyParams(known ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := checkParams(r, known); err != nil {
				s.writeError(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func checkParams(r *http.Request, known []string) error {
	q := r.URL.Query()
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names) // the same URL always gets the same error
	for _, name := range names {
		switch {
		case !slices.Contains(known, name):
			list := "none"
			if len(known) > 0 {
				list = strings.Join(known, ", ")
			}
			return badRequest("unknown_parameter", fmt.Sprintf("%q: unknown parameter (known: %s)", name, list))
		case len(q[name]) > 1:
			return badRequest("bad_parameter", fmt.Sprintf("%s: given %d times, expected once", name, len(q[name])))
		}
	}
	return nil
}
