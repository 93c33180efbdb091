package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Archive is what the write endpoints need: storing the records of a request
// body (cleaned and keyed as kho ingest does) and deleting one article.
type Archive interface {
	// Put stores the records of body; source is the source of records that
	// name none and have no URL (kho ingest's --source), "" for the default.
	Put(ctx context.Context, body io.Reader, source string) (*PutResult, error)
	// Delete removes an article; index.ErrNotFound when there is none.
	Delete(ctx context.Context, id string) error
}

// PutResult reports what a POST /api/articles did with each record.
type PutResult struct {
	Added     int            `json:"added"`
	Updated   int            `json:"updated"`
	Unchanged int            `json:"unchanged"`
	Skipped   int            `json:"skipped"`
	Records   []RecordResult `json:"records"`
}

// Outcomes of one record.
const (
	ResultAdded     = "added"
	ResultUpdated   = "updated"
	ResultUnchanged = "unchanged"
	ResultSkipped   = "skipped"
)

// RecordResult is the fate of one record of a body.
type RecordResult struct {
	Line   int    `json:"line"`         // where the record starts in the body, 1-based
	ID     string `json:"id,omitempty"` // the article key, when the record had enough to make one
	Result string `json:"result"`       // added, updated, unchanged or skipped
	Reason string `json:"reason,omitempty"`
}

// Count tallies a record's result into the totals and appends it.
func (p *PutResult) Count(r RecordResult) {
	switch r.Result {
	case ResultAdded:
		p.Added++
	case ResultUpdated:
		p.Updated++
	case ResultUnchanged:
		p.Unchanged++
	case ResultSkipped:
		p.Skipped++
	}
	p.Records = append(p.Records, r)
}

// AllowWrites turns on POST /api/articles and DELETE /api/articles/{id} for
// requests that carry "Authorization: Bearer <token>". Without it those
// endpoints answer 403.
func (s *Server) AllowWrites(a Archive, token string) {
	sum := sha256.Sum256([]byte(token))
	s.archive, s.tokenSum = a, sum[:]
}

// authorized answers 403 or 401 and returns false unless the request may
// write. Tokens are compared as hashes in constant time, so neither their
// content nor their length leaks through timing.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.archive == nil {
		s.writeError(w, r, &apiError{http.StatusForbidden, "writes_disabled",
			"this server does not accept writes; start kho serve with --write-token-file or KHO_WRITE_TOKEN"})
		return false
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
	if subtle.ConstantTimeCompare(sum[:], s.tokenSum) != 1 || !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="kho"`)
		s.writeError(w, r, &apiError{http.StatusUnauthorized, "unauthorized",
			"writes need the header Authorization: Bearer <write token>"})
		return false
	}
	return true
}

func (s *Server) putArticles(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	source, err := putParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.archive.Put(r.Context(), r.Body, source)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	switch {
	case len(res.Records) == 0:
		s.writeError(w, r, badRequest("bad_body",
			"body: no records; send a JSON object, an array of objects or one object per line"))
	case res.Skipped == len(res.Records):
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			errorResponse
			*PutResult
		}{errorResponse{errorBody{"no_valid_records",
			fmt.Sprintf("body: none of the %d records could be stored; see records for why", res.Skipped)}}, res})
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

// putParams reads the one parameter POST /api/articles understands.
func putParams(r *http.Request) (source string, err error) {
	if err := checkParams(r, []string{"source"}); err != nil {
		return "", err
	}
	source = strings.TrimSpace(r.URL.Query().Get("source"))
	if len(source) > 200 || strings.ContainsAny(source, ": \t\n/") {
		return "", badRequest("bad_parameter", "source: must be a short name such as a domain, without spaces, ':' or '/'")
	}
	return source, nil
}

// BadBody is the error of a body that cannot be read as records at all.
func BadBody(msg string) error { return badRequest("bad_body", "body: "+msg) }

func (s *Server) deleteArticle(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	if err := checkParams(r, nil); err != nil {
		s.writeError(w, r, err)
		return
	}
	id := articleID(r)
	if err := s.archive.Delete(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id, "result": "deleted"})
}
