package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ControlSocket is the Unix socket a running kho serve listens on inside its
// index directory. The server holds the index's lock, so another process
// cannot open the index; through this socket it asks the server to do what
// needs the open index: a backup. Only processes that may use the index
// directory can reach the socket (mode 0600), and they could copy the files
// anyway, so it needs no token.
const ControlSocket = "kho.sock"

// ErrNoServer means no kho serve answers on the index's control socket.
var ErrNoServer = errors.New("no kho serve is running on this index")

type backupRequest struct {
	Out string `json:"out"` // an absolute path that does not exist yet
}

type backupResponse struct {
	Articles uint64 `json:"articles"`
	Error    string `json:"error,omitempty"`
}

// listenControl opens the control socket of the index directory. A socket
// file left there by a server that was killed is removed first: the caller
// holds the index's lock, so no other server can be using it.
func listenControl(indexDir string) (net.Listener, error) {
	path := filepath.Join(indexDir, ControlSocket)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove stale control socket: %w", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on control socket %s (a path must be under 108 bytes): %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("restrict control socket: %w", err)
	}
	return ln, nil
}

// control is the handler of the control socket.
func (s *Server) control() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /backup", func(w http.ResponseWriter, r *http.Request) {
		var req backupRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil || !filepath.IsAbs(req.Out) {
			writeControl(w, http.StatusBadRequest, backupResponse{Error: "expected {\"out\": an absolute path}"})
			return
		}
		start := time.Now()
		n, err := s.cfg.Index.Backup(r.Context(), req.Out)
		if err != nil {
			s.log.Error("backup failed", "out", req.Out, "err", err)
			writeControl(w, http.StatusInternalServerError, backupResponse{Error: err.Error()})
			return
		}
		s.log.Info("backup", "out", req.Out, "articles", n, "ms", time.Since(start).Milliseconds())
		writeControl(w, http.StatusOK, backupResponse{Articles: n})
	})
	return mux
}

func writeControl(w http.ResponseWriter, status int, v backupResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// RequestBackup asks the kho serve running on indexDir to copy its index to
// out. It returns ErrNoServer when none answers, so the caller can open the
// index itself.
func RequestBackup(ctx context.Context, indexDir, out string) (uint64, error) {
	out, err := filepath.Abs(out)
	if err != nil {
		return 0, err
	}
	sock := filepath.Join(indexDir, ControlSocket)
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
	defer client.CloseIdleConnections()
	body, _ := json.Marshal(backupRequest{Out: out})
	req, err := http.NewRequestWithContext(ctx, "POST", "http://kho/backup", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		// No socket, or a socket nobody listens on (the server was killed).
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return 0, ErrNoServer
		}
		return 0, fmt.Errorf("ask kho serve for a backup through %s: %w", sock, err)
	}
	defer resp.Body.Close()
	var res backupResponse
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return 0, fmt.Errorf("kho serve answered the backup request with status %d and no result: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("kho serve could not back up: %s", res.Error)
	}
	return res.Articles, nil
}
