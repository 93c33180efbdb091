package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Usage is what a finished child process cost.
type Usage struct {
	Wall    time.Duration
	CPU     time.Duration // user + system
	PeakRSS int64         // bytes
}

// RunChild runs a command to completion with its output going to logFile,
// and reports its wall time, CPU time and peak memory.
func RunChild(ctx context.Context, logFile string, name string, args ...string) (Usage, error) {
	log, err := os.Create(logFile)
	if err != nil {
		return Usage{}, err
	}
	defer log.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	start := time.Now()
	err = cmd.Run()
	u := usageOf(cmd.ProcessState, time.Since(start))
	if err != nil {
		return u, fmt.Errorf("%s %s: %w (see %s)", name, strings.Join(args, " "), err, logFile)
	}
	return u, nil
}

func usageOf(ps *os.ProcessState, wall time.Duration) Usage {
	u := Usage{Wall: wall}
	if ps == nil {
		return u
	}
	u.CPU = ps.UserTime() + ps.SystemTime()
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		u.PeakRSS = ru.Maxrss << 10 // kilobytes on Linux
	}
	return u
}

// Server is a child process serving HTTP until it is stopped.
type Server struct {
	cmd     *exec.Cmd
	log     *os.File
	BaseURL string
	started time.Time
	exited  <-chan struct{}
}

// addrWatcher copies a server's stdout to its log and sends the first
// address it prints.
type addrWatcher struct {
	w     io.Writer
	found chan string
	sent  bool
}

func (a *addrWatcher) Write(p []byte) (int, error) {
	if m := addrLine.Find(p); m != nil && !a.sent {
		a.sent = true
		a.found <- string(m)
	}
	return a.w.Write(p)
}

// addrLine finds the address a server prints when it is ready
// ("… on http://127.0.0.1:41234").
var addrLine = regexp.MustCompile(`http://[0-9.:\[\]a-z]+`)

// StartServer starts a server process that prints its address on stdout
// and waits until it answers /healthz.
func StartServer(ctx context.Context, logFile string, name string, args ...string) (*Server, error) {
	log, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	cmd := exec.Command(name, args...)
	cmd.Stderr = log
	cmd.Stdout = &addrWatcher{w: log, found: found}
	s := &Server{cmd: cmd, log: log, started: time.Now()}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.exited = exited
	select {
	case addr := <-found:
		s.BaseURL = addr
	case <-exited:
		log.Close()
		return nil, fmt.Errorf("%s exited before serving (see %s)", name, logFile)
	case <-ctx.Done():
		s.Stop()
		return nil, ctx.Err()
	case <-time.After(10 * time.Minute):
		s.Stop()
		return nil, fmt.Errorf("%s did not start serving in 10 minutes (see %s)", name, logFile)
	}
	return s, nil
}

// Memory is the server's resident memory now and at its peak (VmRSS and
// VmHWM of /proc/PID/status), in bytes.
func (s *Server) Memory() (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	return statusMemory(f)
}

func statusMemory(r io.Reader) (rss, peak int64, err error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var kb int64
		fmt.Sscanf(strings.TrimSpace(value), "%d", &kb)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc status")
	}
	return rss, peak, sc.Err()
}

// Stop interrupts the server, waits for it to exit and reports its usage.
func (s *Server) Stop() Usage {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	s.log.Close()
	return usageOf(s.cmd.ProcessState, time.Since(s.started))
}
