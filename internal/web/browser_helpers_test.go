package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds the browser: $KHO_CHROMIUM, else the usual names.
func chromiumPath() string {
	if p := os.Getenv("KHO_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is a headless chromium tab for one test, with what the pages
// said to the console and the dialogs they tried to open.
type browser struct {
	ctx context.Context

	mu       sync.Mutex
	dialogs  []string
	messages []chromedp.ConsoleMessage
	allowed  []string // console messages a test expects, such as a 400
}

// allow lets console messages containing s pass checkQuiet.
func (b *browser) allow(s string) { b.allowed = append(b.allowed, s) }

// chromium is one browser for all the tests of the package; each test
// gets its own tab. Starting chromium costs seconds on a busy machine.
var chromium struct {
	once    sync.Once
	ctx     context.Context // the browser's context; tabs derive from it
	stop    func()
	err     error
	dataDir string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.stop != nil {
		chromium.stop()
		os.RemoveAll(chromium.dataDir)
	}
	os.Exit(code)
}

// startChromium starts the shared browser. The flags keep it off the
// network: the sandbox has none, and without them chromium floods it with
// refused connections.
func startChromium(path string) {
	dir, err := os.MkdirTemp("", "kho-chromium-")
	if err != nil {
		chromium.err = err
		return
	}
	opts := append(browserFlags(), chromedp.ExecPath(path), chromedp.UserDataDir(dir))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	chromium.ctx, chromium.dataDir = ctx, dir
	chromium.stop = func() { cancel(); cancelAlloc() }
	chromium.err = chromedp.Do(ctx) // starts the browser and its first tab
}

// newBrowser opens a tab in the shared chromium, or skips the test when
// there is no chromium.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("no chromium, chromium-browser or google-chrome found (install chromium or set KHO_CHROMIUM); .ci/run installs it")
	}
	chromium.once.Do(func() { startChromium(path) })
	if chromium.err != nil {
		t.Fatalf("start %s: %v", path, chromium.err)
	}
	ctx, cancel := chromedp.NewContext(chromium.ctx)
	t.Cleanup(cancel)
	b := &browser{ctx: ctx}
	// Subscribe before the first page, so nothing is missed. An open dialog
	// would block the page: dismiss it and remember it.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	console := chromedp.Console(ctx)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// do runs steps, failing the test with what was being done.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action that returns a value.
func run[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// checkQuiet fails when a page opened a dialog or wrote an error or a
// warning to the console (a CSP violation is one).
func (b *browser) checkQuiet(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, d := range b.dialogs {
		t.Errorf("a page opened a dialog: %q", d)
	}
	for _, m := range b.messages {
		if slices.ContainsFunc(b.allowed, func(s string) bool { return strings.Contains(m.Text, s) }) {
			continue
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			t.Errorf("console %s: %s (%s)", m.Type, m, m.URL)
		}
	}
}

// browserFlags are chromium's flags: headless, and no network of its own.
func browserFlags() []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "vi-VN"),
	)
}

// Viewports of the screenshots and of the layout checks.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 900, false}
	phone   = viewport{"phone", 360, 740, true}
)

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// artifactsDir is where screenshots go: $KHO_ARTIFACTS, else artifacts/ at
// the top of the module (git-ignored).
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("KHO_ARTIFACTS")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "artifacts")
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshots: %v", err)
	}
	return dir
}

// screenshot writes the whole page as artifacts/screenshots/<name>.png,
// and what the first screen shows as <name>-screen.png.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	run(t, b, "scroll to the top", chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`))
	b.writePNG(t, name+"-screen", run(t, b, "screenshot "+name, chromedp.CaptureScreenshot()))
	b.writePNG(t, name, run(t, b, "screenshot "+name, chromedp.FullScreenshot(100)))
}

func (b *browser) writePNG(t *testing.T, name string, png []byte) {
	t.Helper()
	path := filepath.Join(artifactsDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("screenshot %s", path)
}

// noHorizontalScroll fails when the page is wider than the viewport.
func (b *browser) noHorizontalScroll(t *testing.T, v viewport, where string) {
	t.Helper()
	w := run(t, b, "measure "+where, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	if w > v.width {
		wide := run(t, b, "find wide elements", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('body *'))
			.filter(e => e.getBoundingClientRect().right > `+strconv.FormatInt(v.width, 10)+`)
			.slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')`))
		t.Errorf("%s at %d px: the page is %d px wide (scrolls sideways); too wide: %s", where, v.width, w, wide)
	}
}
