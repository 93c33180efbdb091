package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"kho/index"
	"kho/internal/request"
)

// apiError is an error with the status and code the client sees.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func badRequest(code, msg string) *apiError {
	return &apiError{http.StatusBadRequest, code, msg}
}

// statusOf maps any error to what the client sees. This is the one place
// that decides statuses; engine details (bleve text, field names) never
// reach a response.
func statusOf(err error) (status int, code, message string) {
	var ae *apiError
	var re *request.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae.status, ae.code, ae.message
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("body: larger than the limit of %d bytes", mbe.Limit)
	case errors.As(err, &re):
		return http.StatusBadRequest, re.Code, re.Error()
	case errors.Is(err, index.ErrNotFound):
		return http.StatusNotFound, "not_found", "no article with this id"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "timeout", "the request was cancelled or took too long"
	}
	return http.StatusInternalServerError, "internal", "internal error"
}

// writeError answers with the error's status and JSON body, and logs server
// errors with their real text.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg := statusOf(err)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
	}
	WriteError(w, status, code, msg)
}

// WriteError writes the API's error body, {"error": {"code": …, "message": …}},
// for middleware that answers before a handler runs.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorResponse{errorBody{code, message}})
}
