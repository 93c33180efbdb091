package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Tests that need real processes (file locks, signals) run this test binary
// again as kho: with beKho set, TestMain runs main instead of the tests.
const beKho = "KHO_TEST_BE_KHO"

func TestMain(m *testing.M) {
	if os.Getenv(beKho) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// khoCmd is a kho process running args.
func khoCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), beKho+"=1")
	return cmd
}

// runProcess runs kho to the end and returns its output and exit code.
func runProcess(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := khoCmd(t, args...)
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run kho %v: %v", args, err)
	}
	return out.String(), errOut.String(), 0
}

// serving is a kho serve process.
type serving struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
	done   chan error
}

type lockedBuffer struct {
	mu chan struct{}
	b  bytes.Buffer
}

func newLockedBuffer() *lockedBuffer {
	l := &lockedBuffer{mu: make(chan struct{}, 1)}
	return l
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu <- struct{}{}
	defer func() { <-l.mu }()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu <- struct{}{}
	defer func() { <-l.mu }()
	return l.b.String()
}

// startServe starts kho serve on a free port and waits until it listens.
func startServe(t *testing.T, env []string, args ...string) *serving {
	t.Helper()
	cmd := khoCmd(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &serving{cmd: cmd, stderr: newLockedBuffer(), done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop(t) })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	go func() { io.Copy(io.Discard, stdout); s.done <- cmd.Wait() }()
	_, addr, ok := strings.Cut(strings.TrimSpace(line), " on ")
	if err != nil || !ok {
		t.Fatalf("kho serve did not start: %q %v\n%s", line, err, s.stderr)
	}
	s.url = addr
	return s
}

// stop sends SIGTERM and waits for the process to exit; it returns the exit
// error (nil for status 0).
func (s *serving) stop(t *testing.T) error {
	t.Helper()
	if s.cmd.ProcessState != nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Errorf("kho serve did not stop within 30 s of SIGTERM\n%s", s.stderr)
		return <-s.done
	}
}

func (s *serving) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// searchTotal is the total of a search through a running server.
func (s *serving) searchTotal(t *testing.T, q string) int {
	t.Helper()
	code, body := s.get(t, "/api/search?q="+url.QueryEscape(q))
	var res struct{ Total int }
	if code != 200 || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("search %q: %d %s", q, code, body)
	}
	return res.Total
}

// statsOf is kho stats --json without the size, which depends on merges.
func statsOf(t *testing.T, dir string) map[string]any {
	t.Helper()
	out, errOut, code := runProcess(t, nil, "stats", "--json", "--index", dir)
	if code != 0 {
		t.Fatalf("kho stats: exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("kho stats --json: %v: %q", err, out)
	}
	delete(m, "size_bytes")
	return m
}

// writeArchive writes n generated articles as JSON Lines in files of at most
// per records, with some bad lines and some records repeated in a later
// file, and returns the directory.
func writeArchive(t *testing.T, n, per int) string {
	t.Helper()
	dir := t.TempDir()
	sources := []string{"tinsang.test", "baochieu.test", "thoisu.test"}
	words := []string{"mưa lũ", "giá vàng", "học sinh", "đường sắt", "bầu cử", "lễ hội", "nông dân", "y tế"}
	var f *os.File
	for i := range n {
		if i%per == 0 {
			if f != nil {
				f.Close()
			}
			var err error
			if f, err = os.Create(filepath.Join(dir, fmt.Sprintf("part%03d.jsonl", i/per))); err != nil {
				t.Fatal(err)
			}
		}
		rec := map[string]any{
			"id": fmt.Sprint(i), "source": sources[i%len(sources)],
			"title": fmt.Sprintf("Bản tin số %d về %s", i, words[i%len(words)]),
			"body":  fmt.Sprintf("Nội dung bài %d: %s và %s ở Hà Nội.", i, words[i%len(words)], words[(i/3)%len(words)]),
		}
		if i%10 != 0 {
			rec["published"] = fmt.Sprintf("%d-%02d-%02dT08:00:00+07:00", 2019+i%6, 1+i%12, 1+i%28)
		}
		b, _ := json.Marshal(rec)
		f.Write(append(b, '\n'))
		if i%97 == 0 {
			f.WriteString("{\"id\": \"broken\n")
		}
		if i > per && i%50 == 0 { // the same record again, changed: the later one wins
			rec = map[string]any{"id": fmt.Sprint(i - per), "source": sources[(i-per)%len(sources)], "title": fmt.Sprintf("Bản tin số %d, cập nhật", i-per)}
			b, _ = json.Marshal(rec)
			f.Write(append(b, '\n'))
		}
	}
	f.Close()
	return dir
}

func TestSecondProcessIsRefused(t *testing.T) {
	t.Parallel()
	archive := writeArchive(t, 300, 100)
	ix := filepath.Join(t.TempDir(), "ix")
	if _, errOut, code := runProcess(t, nil, "ingest", "--index", ix, archive); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	want := statsOf(t, ix)

	s := startServe(t, nil, "--index", ix)
	refused(t, "kho serve", []string{"ingest", "--index", ix, archive},
		[]string{"serve", "--index", ix, "--addr", "127.0.0.1:0"}, []string{"stats", "--index", ix})
	if n := s.searchTotal(t, "bản tin"); n != int(want["articles"].(float64)) {
		t.Errorf("the running server finds %d articles, want %v", n, want["articles"])
	}
	if err := s.stop(t); err != nil {
		t.Errorf("kho serve after SIGTERM: %v\n%s", err, s.stderr)
	}
	if !strings.Contains(s.stderr.String(), "stopped serving") {
		t.Errorf("kho serve log lacks the shutdown:\n%s", s.stderr)
	}
	// The index was closed cleanly: intact, and free for the next process.
	if got := statsOf(t, ix); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after serve: stats %v, want %v", got, want)
	}

	// An ingest holds the index too: here one reading a pipe kept open.
	ingest := khoCmd(t, "ingest", "--index", ix, "-")
	pipe, _ := ingest.StdinPipe()
	var ingestErr bytes.Buffer
	ingest.Stderr = &ingestErr
	if err := ingest.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(pipe, `{"source": "tinsang.test", "id": "new", "title": "Bản tin mới"}`+"\n")
	waitLocked(t, ix) // the first ingest holds the index before the others try
	refused(t, "kho ingest", []string{"ingest", "--index", ix, archive}, []string{"serve", "--index", ix, "--addr", "127.0.0.1:0"})
	pipe.Close()
	if err := ingest.Wait(); err != nil {
		t.Fatalf("the first ingest failed: %v\n%s", err, ingestErr.String())
	}
	want["articles"] = want["articles"].(float64) + 1
	if got := statsOf(t, ix); got["articles"] != want["articles"] {
		t.Errorf("after both ingests: %v articles, want %v", got["articles"], want["articles"])
	}
}

// refused runs each command at once (each waits out the lock timeout) and
// checks that each is refused with a message that says why.
func refused(t *testing.T, holder string, commands ...[]string) {
	t.Helper()
	type result struct {
		errOut string
		code   int
	}
	results := make([]chan result, len(commands))
	for i, args := range commands {
		results[i] = make(chan result, 1)
		go func() {
			_, errOut, code := runProcess(t, nil, args...)
			results[i] <- result{errOut, code}
		}()
	}
	for i, args := range commands {
		r := <-results[i]
		if r.code != 1 || !strings.Contains(r.errOut, "in use by another process") || !strings.Contains(r.errOut, "kho serve or kho ingest") {
			t.Errorf("kho %s while %s runs: exit %d, stderr %q; want a clear refusal", args[0], holder, r.code, r.errOut)
		}
	}
}

func TestServeNeedsGoodToken(t *testing.T) {
	t.Parallel()
	ix := filepath.Join(t.TempDir(), "ix")
	runProcess(t, strings.NewReader(`{"id": "1", "title": "Tin"}`), "ingest", "--index", ix, "-")
	short := filepath.Join(t.TempDir(), "short")
	os.WriteFile(short, []byte("abc\n"), 0o600)
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	for _, tc := range []struct {
		args    []string
		env     string
		mention string
	}{
		{[]string{"--write-token-file", short}, "", "too short"},
		{[]string{"--write-token-file", empty}, "", "empty"},
		{[]string{"--write-token-file", filepath.Join(t.TempDir(), "none")}, "", "read write token"},
		{nil, "KHO_WRITE_TOKEN=abc", "too short"},
		{[]string{"--max-body", "0"}, "", "--max-body"},
	} {
		cmd := khoCmd(t, append([]string{"serve", "--index", ix, "--addr", "127.0.0.1:0"}, tc.args...)...)
		cmd.Env = append(cmd.Env, tc.env)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.mention) {
			t.Errorf("serve %v %s: err %v, output %q; want a refusal mentioning %q", tc.args, tc.env, err, out, tc.mention)
		}
	}
}

func TestServeWritesWithTokenFromEnvironment(t *testing.T) {
	t.Parallel()
	ix := filepath.Join(t.TempDir(), "ix")
	runProcess(t, strings.NewReader(`{"id": "1", "source": "a.test", "title": "Tin đầu"}`), "ingest", "--index", ix, "-")
	token := "env-token-0123456789abcdef"
	s := startServe(t, []string{"KHO_WRITE_TOKEN=" + token}, "--index", ix)
	req, _ := http.NewRequestWithContext(context.Background(), "POST", s.url+"/api/articles",
		strings.NewReader(`{"id": "2", "source": "a.test", "title": "Tin thứ hai"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST with the token: %d", resp.StatusCode)
	}
	if n := s.searchTotal(t, "tin"); n != 2 {
		t.Errorf("after POST: %d articles, want 2", n)
	}
}

// TestIngestSurvivesSIGKILL kills kho ingest at random points, runs the same
// ingest again, and checks that the index ends up as an uninterrupted run
// leaves it: nothing lost, nothing doubled, and the index always opens.
func TestIngestSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	archive := writeArchive(t, 1200, 400)
	ref := filepath.Join(t.TempDir(), "ref")
	start := time.Now()
	if _, errOut, code := runProcess(t, nil, "ingest", "--index", ref, archive); code != 0 {
		t.Fatalf("reference ingest: exit %d: %s", code, errOut)
	}
	took := time.Since(start)
	want := statsOf(t, ref)
	if want["articles"].(float64) < 1100 {
		t.Fatalf("reference run stored %v articles", want["articles"])
	}

	rng := rand.New(rand.NewPCG(8, 8)) // seeded: a failure can be replayed
	for run := range 4 {
		ix := filepath.Join(t.TempDir(), "ix")
		// Two kills per run: one during the first ingest (the first run at
		// once, while the index is being created), one during the re-run.
		var kills []time.Duration
		for k := range 2 {
			at := time.Duration(rng.Int64N(int64(took)))
			cmd := khoCmd(t, "ingest", "--index", ix, archive)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if run == 0 && k == 0 {
				// As soon as the index's files appear: while it is being created.
				at = waitForFile(took, filepath.Join(ix, "store", "root.bolt"),
					filepath.Join(filepath.Dir(ix), ".ix.creating-*", "store", "root.bolt"))
			} else {
				time.Sleep(at)
			}
			cmd.Process.Kill()
			cmd.Wait()
			kills = append(kills, at)
		}
		if _, errOut, code := runProcess(t, nil, "ingest", "--index", ix, archive); code != 0 {
			t.Fatalf("run %d (killed at %v): the ingest after the kills failed: exit %d: %s", run, kills, code, errOut)
		}
		if got := statsOf(t, ix); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("run %d (killed at %v): stats\n%v\nwant\n%v", run, kills, got, want)
		}
	}
}

// waitForFile polls until a file matching one of the patterns exists or
// limit passes, and says how long it waited.
func waitForFile(limit time.Duration, patterns ...string) time.Duration {
	start := time.Now()
	for time.Since(start) < limit {
		for _, p := range patterns {
			if m, _ := filepath.Glob(p); len(m) > 0 {
				return time.Since(start)
			}
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start)
}

// allScores pages through every result of a search and returns each hit's
// score by id. Articles with equal scores keep the index's order, which a
// merge between two pages changes (a freshly opened copy merges its
// segments), so a pass that did not see every article is run again.
func allScores(t *testing.T, s *serving, q string) map[string]float64 {
	t.Helper()
	for pass := 1; ; pass++ {
		scores, total := scorePages(t, s, q)
		if len(scores) == total || pass == 50 {
			return scores
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// scorePages reads every page of a search once.
func scorePages(t *testing.T, s *serving, q string) (map[string]float64, int) {
	t.Helper()
	scores := map[string]float64{}
	for page := 1; ; page++ {
		code, body := s.get(t, fmt.Sprintf("/api/search?size=100&page=%d&q=%s", page, url.QueryEscape(q)))
		var res struct {
			Total int
			Hits  []struct {
				ID    string
				Score float64
			}
		}
		if code != 200 || json.Unmarshal([]byte(body), &res) != nil {
			t.Fatalf("search %q page %d: %d %s", q, page, code, body)
		}
		for _, h := range res.Hits {
			scores[h.ID] = h.Score
		}
		if len(res.Hits) == 0 || page*100 >= res.Total {
			return scores, res.Total
		}
	}
}

func TestBackupWhileServing(t *testing.T) {
	t.Parallel()
	archive := writeArchive(t, 600, 200)
	ix := filepath.Join(t.TempDir(), "ix")
	if _, errOut, code := runProcess(t, nil, "ingest", "--index", ix, archive); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	s := startServe(t, nil, "--index", ix)

	// Searches keep being answered while the backup runs.
	stop := make(chan struct{})
	failures := make(chan string, 100)
	answered, first := make(chan int), make(chan struct{})
	go func() {
		n := 0
		defer func() { answered <- n }()
		defer func() {
			if n == 0 {
				close(first)
			}
		}()
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(s.url + "/api/search?q=b%E1%BA%A3n+tin")
			if err != nil {
				failures <- err.Error()
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				failures <- resp.Status
			}
			if n++; n == 1 {
				close(first)
			}
		}
	}()
	<-first // searches are being answered before the backup begins
	out := filepath.Join(t.TempDir(), "copy")
	stdout, errOut, code := runProcess(t, nil, "backup", "--index", ix, "--out", out)
	close(stop)
	n := <-answered
	if code != 0 || !strings.Contains(stdout, "by the running kho serve") {
		t.Fatalf("kho backup while serving: exit %d\n%s%s", code, stdout, errOut)
	}
	close(failures)
	for f := range failures {
		t.Errorf("a search during the backup failed: %s", f)
	}
	if n == 0 {
		t.Error("no search was answered during the backup")
	}
	if !strings.Contains(s.stderr.String(), `"msg":"backup"`) {
		t.Errorf("kho serve did not log the backup:\n%s", s.stderr)
	}

	// The copy opens (in a second kho serve, while the first still runs) and
	// answers the same searches: the same articles with the same scores.
	// Articles with equal scores may come in another order: the copy's
	// segments are laid out anew.
	c := startServe(t, nil, "--index", out)
	for _, q := range []string{"bản tin", "mua lu", `"giá vàng"`, "học sinh -vàng", "cập nhật"} {
		got, want := allScores(t, c, q), allScores(t, s, q)
		if len(want) == 0 || len(got) != len(want) {
			t.Errorf("search %q: the copy finds %d articles, the server %d", q, len(got), len(want))
		}
		for id, w := range want {
			if g, ok := got[id]; !ok || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("search %q: %s scores %v in the copy, %v in the index", q, id, g, w)
			}
		}
	}
	c.stop(t)
	if _, errOut, code := runProcess(t, nil, "backup", "--index", ix, "--out", out); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("backup over an existing copy: exit %d: %s", code, errOut)
	}

	// Without a server (even one killed, leaving its socket behind) kho
	// backup opens the index itself.
	s.cmd.Process.Kill()
	<-s.done
	s.done <- nil
	out2 := filepath.Join(t.TempDir(), "copy2")
	stdout, errOut, code = runProcess(t, nil, "backup", "--index", ix, "--out", out2)
	if code != 0 || !strings.Contains(stdout, "opened directly") {
		t.Fatalf("kho backup without a server: exit %d\n%s%s", code, stdout, errOut)
	}
	if got, want := statsOf(t, out2), statsOf(t, ix); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("copy made without a server: stats %v, want %v", got, want)
	}
}

// waitLocked waits until some process holds the lock of the index at dir:
// bolt's exclusive flock on store/root.bolt, probed without blocking.
func waitLocked(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "store", "root.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if err == syscall.EWOULDBLOCK {
			return
		}
		if err == nil {
			syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no process took the lock of %s within a minute", dir)
}
