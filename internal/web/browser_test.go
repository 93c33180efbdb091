package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"kho/index"
	"kho/internal/article"
	"kho/internal/ingest"
	"kho/internal/server"
	"kho/internal/vntext"
)

// archiveServer serves an index through the same server kho serve builds:
// the JSON API, its middleware and these pages.
func archiveServer(t *testing.T, fill func(context.Context, *index.Index) error) string {
	t.Helper()
	ix, err := index.NewMem(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := fill(context.Background(), ix); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Index: ix, Pages: New(ix, nil)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

// ingestSample ingests the sample archive of the repository, as kho ingest
// testdata/archive does.
func ingestSample(ctx context.Context, ix *index.Index) error {
	in := ingest.New(ingest.Options{Format: ingest.FormatAuto, Location: ix.Location()})
	_, err := in.Run(ctx, []string{"../../testdata/archive"}, ix.NewWriter(index.WriterOptions{OnResult: in.Outcome}))
	return err
}

// apiSuggestion is the suggestion of GET /api/search for q.
func apiSuggestion(t *testing.T, base, q string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Suggestion string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode /api/search: %v", err)
	}
	return body.Suggestion
}

// load runs an action that navigates (a click, a submit) and waits for the
// new page.
func (b *browser) load(t *testing.T, what string, trigger chromedp.Action[chromedp.Void]) {
	t.Helper()
	run(t, b, what, chromedp.WaitEvent(page.LoadEventFired, nil, trigger))
}

// back presses the back button and waits for the page at want, restored
// from the back-forward cache or loaded again.
func (b *browser) back(t *testing.T, want string) {
	t.Helper()
	run(t, b, "go back", chromedp.Evaluate[bool](`history.back(), true`))
	deadline := time.Now().Add(20 * time.Second)
	for {
		href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? location.href : ''`))
		if err == nil && href == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("back: the page is %q (%v), want %q", href, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// text is the text content of the first element matching a CSS selector.
func (b *browser) text(t *testing.T, css string) string {
	t.Helper()
	// Evaluate, not a DOM query: chromedp's DOM view can miss a page the
	// back-forward cache restores.
	sel, _ := json.Marshal(css)
	return run(t, b, "read "+css, chromedp.Evaluate[string](`document.querySelector(`+string(sel)+`).textContent`))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	return run(t, b, "evaluate "+js, chromedp.Evaluate[T](js))
}

var totalRe = regexp.MustCompile(`Tìm thấy ([0-9.]+) kết quả`)

// total reads the number of results the page announces.
func (b *browser) total(t *testing.T) int {
	t.Helper()
	s := b.text(t, "#total")
	m := totalRe.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no result count in %q", s)
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
	return n
}

// TestBrowserReaderJourney is a reader's visit in a real browser, on the
// sample archive served by kho's own server: search without diacritics,
// narrow to a year, read an article and its related stories, go back.
func TestBrowserReaderJourney(t *testing.T) {
	b := newBrowser(t)
	base := archiveServer(t, ingestSample)

	b.do(t, "open the home page", desktop.emulate(), chromedp.Navigate(base+"/"))
	if id := eval[string](t, b, `document.activeElement.id`); id != "q" {
		t.Errorf("the search box is not focused on arrival (focus on %q)", id)
	}
	if lang := eval[string](t, b, `document.documentElement.lang`); lang != "vi" {
		t.Errorf("lang=%q", lang)
	}
	checkLabels(t, b)

	// Type a query without diacritics; the results show the original ones.
	b.load(t, "search", chromedp.SendKeys(chromedp.ID("q"), "nguoi dan\n"))
	if u := eval[string](t, b, `location.search`); !strings.Contains(u, "q=nguoi+dan") {
		t.Errorf("the search is not in the URL: %q", u)
	}
	all := b.total(t)
	marks := eval[[]string](t, b, `Array.from(document.querySelectorAll('.hits mark'), m => m.textContent)`)
	if all < 2 || len(marks) == 0 {
		t.Fatalf("nguoi dan: %d results, marks %q", all, marks)
	}
	accented := 0
	for _, m := range marks {
		if vntext.HasDiacritics(m) && strings.Contains("nguoi dan", vntext.Fold(m)) {
			accented++
		}
	}
	if accented == 0 {
		t.Errorf("no highlight shows the original diacritics of nguoi dan: %q", marks)
	}
	// The page offers the engine's diacritic suggestion exactly when the API does.
	if api, shown := apiSuggestion(t, base, "nguoi dan"), eval[string](t, b,
		`(document.querySelector('.suggest a') || {textContent: ''}).textContent`); shown != api {
		t.Errorf("the page suggests %q, the API %q", shown, api)
	}
	b.screenshot(t, "search-desktop")
	b.noHorizontalScroll(t, desktop, "search page")

	// Click the year with the most articles: the count follows, months show.
	year := eval[string](t, b, `(() => {
		const bars = Array.from(document.querySelectorAll('.bars a[href*="from="]'));
		bars.sort((x, y) => +y.querySelector('.n').textContent.replace(/\./g, '') - +x.querySelector('.n').textContent.replace(/\./g, ''));
		return bars[0].querySelector('.k').textContent;
	})()`)
	want := b.text(t, `.bars a[href*="from=`+year+`&"] .n`)
	allURL := eval[string](t, b, `location.href`)
	b.load(t, "click year "+year, chromedp.Click(chromedp.CSS(`.bars a[href*="from=`+year+`&"]`)))
	got := b.total(t)
	if strconv.Itoa(got) != want || got >= all {
		t.Errorf("after clicking %s: %d results, want the bar's %s (of %d)", year, got, want, all)
	}
	if months := eval[int](t, b, `document.querySelectorAll('#months-h + .bars li').length`); months == 0 {
		t.Errorf("no months chart after narrowing to %s", year)
	}
	if chip := b.text(t, ".chip"); !strings.Contains(chip, "Năm "+year) {
		t.Errorf("the year filter shows as %q", chip)
	}
	b.screenshot(t, "search-year-desktop")

	yearURL := eval[string](t, b, `location.href`)

	// Open the first article and its related stories.
	title := b.text(t, ".hits h3 a")
	b.load(t, "open an article", chromedp.Click(chromedp.CSS(".hits h3 a")))
	if h1 := b.text(t, "h1"); h1 != title {
		t.Errorf("article page title %q, the result said %q", h1, title)
	}
	if n := eval[int](t, b, `document.querySelectorAll('.related .hits li').length`); n == 0 {
		t.Error("no related stories under the article")
	}
	if n := eval[int](t, b, `document.querySelectorAll('.story .body p').length`); n == 0 {
		t.Error("the article has no paragraphs")
	}
	b.screenshot(t, "article-desktop")
	b.noHorizontalScroll(t, desktop, "article page")

	// "/" jumps to the search box.
	b.do(t, "press /", chromedp.KeyEvent("/"))
	if id := eval[string](t, b, `document.activeElement.id`); id != "q" {
		t.Errorf(`after "/" the focus is on %q, not the search box`, id)
	}

	// Back to the year, then to the whole result.
	b.back(t, yearURL)
	if n := b.total(t); n != got {
		t.Errorf("back: %d results, want %d", n, got)
	}
	b.back(t, allURL)
	if n := b.total(t); n != all {
		t.Errorf("back again: %d results, want %d", n, all)
	}

	// The same pages on a phone: nothing scrolls sideways.
	b.do(t, "phone", phone.emulate(), chromedp.Reload())
	b.noHorizontalScroll(t, phone, "search page")
	b.screenshot(t, "search-phone")
	b.load(t, "open an article on the phone", chromedp.Click(chromedp.CSS(".hits h3 a")))
	b.noHorizontalScroll(t, phone, "article page")
	b.screenshot(t, "article-phone")

	b.checkQuiet(t)
}

// TestBrowserWorksWithoutJavaScript searches and narrows with scripts off:
// forms and links carry everything.
func TestBrowserWorksWithoutJavaScript(t *testing.T) {
	b := newBrowser(t)
	base := archiveServer(t, ingestSample)
	b.do(t, "start", desktop.emulate())
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("turn scripts off: %v", err)
	}
	b.do(t, "home", chromedp.Navigate(base+"/"))
	b.do(t, "type", chromedp.SendKeys(chromedp.ID("q"), "hoc sinh"))
	b.load(t, "submit", chromedp.Click(chromedp.CSS(".searchbox button")))
	all := b.total(t)
	b.load(t, "newest first", chromedp.Click(chromedp.CSS(`.sort a[href*="sort=newest"]`)))
	dates := eval[[]string](t, b, `Array.from(document.querySelectorAll('.hits time'), e => e.getAttribute('datetime'))`)
	for i := 1; i < len(dates); i++ {
		if dates[i] > dates[i-1] {
			t.Errorf("newest first, but %s comes after %s", dates[i], dates[i-1])
		}
	}
	b.do(t, "date filter", chromedp.SendKeys(chromedp.ID("from"), "2023"))
	b.load(t, "apply the dates", chromedp.Click(chromedp.CSS(".dates button")))
	if n := b.total(t); n >= all {
		t.Errorf("from=2023 kept %d of %d results", n, all)
	}
	if u := eval[string](t, b, `location.search`); !strings.Contains(u, "sort=newest") || !strings.Contains(u, "from=2023") {
		t.Errorf("the date form lost the sort: %s", u)
	}
	b.checkQuiet(t)
}

// hostileArticles carry script and attribute-breaking text in every field.
func hostileArticles(ctx context.Context, ix *index.Index) error {
	day := time.Date(2024, 6, 26, 9, 0, 0, 0, ix.Location())
	w := ix.NewWriter(index.WriterOptions{})
	for _, a := range []*article.Article{{
		ID: "xss.vn:1", Source: "xss.vn", URL: "javascript:alert(6)", Published: day,
		Title:    `<script>alert(1)</script> Hà Nội mưa lớn`,
		Summary:  `<b onmouseover=alert(3)>Mưa</b> lớn ở Hà Nội`,
		Body:     "\"><img src=x onerror=alert(2)> Hà Nội mưa lớn kéo dài.\n\n<script>alert(4)</script> Nhiều tuyến phố ngập.",
		Captions: []string{`<svg onload=alert(5)>`}, Tags: []string{`"><script>alert(7)</script>`},
		Category: `"><img src=x onerror=alert(8)>`, Author: `<iframe src=javascript:alert(9)>`,
	}, {
		ID: "xss.vn:2", Source: "xss.vn", Published: day.AddDate(0, 0, 1),
		Title: "Hà Nội mưa lớn, nhiều tuyến phố ngập sâu", Body: "Hà Nội mưa lớn kéo dài, nhiều tuyến phố ngập sâu.",
	}} {
		a.PublishedFrom = article.FromMetadata
		if err := w.Add(ctx, a); err != nil {
			return err
		}
	}
	return w.Flush(ctx)
}

// TestBrowserHostileInput types script into the search box and opens an
// article made of script: nothing runs, nothing breaks the page.
func TestBrowserHostileInput(t *testing.T) {
	b := newBrowser(t)
	b.allow("status of 400") // the unclosed quote is a bad query
	base := archiveServer(t, hostileArticles)
	for _, q := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, "ha noi mua"} {
		b.do(t, "home", desktop.emulate(), chromedp.Navigate(base+"/"))
		b.load(t, "search "+q, chromedp.SendKeys(chromedp.ID("q"), q+"\n"))
		if v := eval[string](t, b, `document.getElementById('q').value`); v != q {
			t.Errorf("the search box holds %q, want %q", v, q)
		}
		checkIntact(t, b, q)
	}
	if n := b.total(t); n != 2 {
		t.Fatalf("ha noi mua: %d results, want 2", n)
	}
	if title := b.text(t, `.hits a[href^="/a/xss.vn:1"]`); !strings.Contains(title, "<script>alert(1)</script>") {
		t.Errorf("the hostile title shows as %q, not as text", title)
	}
	b.load(t, "open the hostile article", chromedp.Click(chromedp.CSS(`.hits a[href^="/a/xss.vn:1"]`)))
	checkIntact(t, b, "article")
	if h1 := b.text(t, "h1"); h1 != "<script>alert(1)</script> Hà Nội mưa lớn" {
		t.Errorf("h1 %q", h1)
	}
	if body := b.text(t, ".story .body"); !strings.Contains(body, `"><img src=x onerror=alert(2)>`) {
		t.Errorf("the body shows as %q", body)
	}
	b.screenshot(t, "hostile-article-desktop")
	time.Sleep(300 * time.Millisecond) // a dialog would open asynchronously
	b.checkQuiet(t)
}

// checkIntact fails when a page lost its frame or gained elements.
func checkIntact(t *testing.T, b *browser, where string) {
	t.Helper()
	got := eval[[]int](t, b, `[document.scripts.length, document.images.length,
		document.querySelectorAll('iframe, b, main img, main script').length,
		document.querySelectorAll('footer.foot').length, document.querySelectorAll('h1').length]`)
	if got[0] != 1 || got[1] != 0 || got[2] != 0 || got[3] != 1 || got[4] != 1 {
		t.Errorf("%s: scripts %d (want 1), images %d, injected elements %d, footers %d, h1 %d",
			where, got[0], got[1], got[2], got[3], got[4])
	}
}

// checkLabels fails when a form control has no label.
func checkLabels(t *testing.T, b *browser) {
	t.Helper()
	unlabelled := eval[[]string](t, b, `Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
		.filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %q", unlabelled)
	}
}

// TestBrowserFriendlyPages opens the pages for an empty archive, a search
// without results, a bad parameter and a missing article, on a phone.
func TestBrowserFriendlyPages(t *testing.T) {
	b := newBrowser(t)
	b.allow("status of 400")
	b.allow("status of 404")
	empty := archiveServer(t, func(context.Context, *index.Index) error { return nil })
	sample := archiveServer(t, ingestSample)
	for _, p := range []struct{ name, url, heading string }{
		{"empty-archive", empty + "/", "Kho lưu trữ chưa có bài viết nào"},
		{"no-results", sample + "/?q=zzzxq&source=tinbaomau.vn", "Không tìm thấy bài viết nào cho “zzzxq”"},
		{"bad-parameter", sample + "/?q=hoa&size=500", "Yêu cầu tìm kiếm không hợp lệ"},
		{"missing-article", sample + "/a/khong-co:1", "Không tìm thấy bài viết"},
	} {
		b.do(t, p.name, phone.emulate(), chromedp.Navigate(p.url))
		if h := b.text(t, ".notice h1, .notice h2"); h != p.heading {
			t.Errorf("%s: heading %q, want %q", p.name, h, p.heading)
		}
		b.noHorizontalScroll(t, phone, p.name)
		checkLabels(t, b)
		b.screenshot(t, p.name+"-phone")
	}
	b.checkQuiet(t)
}
