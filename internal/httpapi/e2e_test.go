package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/text/unicode/norm"

	"kho/index"
	"kho/internal/ingest"
)

// End to end: the sample archive of the repository ingested by the real
// pipeline into an in-memory index, searched through HTTP.

var sample struct {
	once sync.Once
	url  string
	err  error
}

// sampleServer serves testdata/archive, ingested once per test binary.
func sampleServer(t *testing.T) string {
	t.Helper()
	sample.once.Do(func() {
		ix, err := index.NewMem(index.Options{})
		if err != nil {
			sample.err = err
			return
		}
		in := ingest.New(ingest.Options{Location: ix.Location()})
		w := ix.NewWriter(index.WriterOptions{OnResult: in.Outcome})
		if _, err := in.Run(context.Background(), []string{"../../testdata/archive"}, w); err != nil {
			sample.err = err
			return
		}
		r := chi.NewRouter()
		New(ix, nil).Routes(r)
		sample.url = httptest.NewServer(r).URL // lives as long as the test binary
	})
	if sample.err != nil {
		t.Fatal(sample.err)
	}
	return sample.url
}

type searchJSON searchResponse

func (s searchJSON) ids() []string {
	out := make([]string, len(s.Hits))
	for i, h := range s.Hits {
		out[i] = h.ID
	}
	return out
}

// get fetches path and decodes its JSON body into v; it returns the status.
func get(t *testing.T, path string, v any) int {
	t.Helper()
	resp, err := http.Get(sampleServer(t) + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: body is not JSON: %v", path, err)
	}
	return resp.StatusCode
}

func search(t *testing.T, params url.Values) searchJSON {
	t.Helper()
	var s searchJSON
	if code := get(t, "/api/search?"+params.Encode(), &s); code != http.StatusOK {
		t.Fatalf("search %s: status %d", params.Encode(), code)
	}
	return s
}

func q(text string) url.Values { return url.Values{"q": {text}} }

func sum(bs []bucketJSON) int {
	n := 0
	for _, b := range bs {
		n += b.Count
	}
	return n
}

func TestEndToEndRanking(t *testing.T) {
	tests := []struct {
		query string
		first string // id of the first hit
	}{
		{"ha noi", "tinbaomau.vn:ts-001"},
		{"Hà Nội", "tinbaomau.vn:ts-001"},
		{norm.NFD.String("Hà Nội xe buýt"), "tinbaomau.vn:ts-001"},
		{`"le hoi dua ghe"`, "html:le-hoi-dua-ghe"},
		{"khỏe mạnh nắng nóng", "suckhoe.baomau.vn:sk-004"}, // indexed as Khoẻ
		{"ghép thận -tim", "suckhoe.baomau.vn:sk-006"},
	}
	for _, tc := range tests {
		s := search(t, q(tc.query))
		if len(s.Hits) == 0 || s.Hits[0].ID != tc.first {
			t.Errorf("q=%q: hits %v, want %s first", tc.query, s.ids(), tc.first)
		}
	}
}

// A query with diacritics ranks the form typed first; without them it
// matches every form.
func TestEndToEndDiacritics(t *testing.T) {
	exact := search(t, q("đường"))
	folded := search(t, q("duong"))
	if exact.Total != folded.Total {
		t.Errorf("đường matches %d articles, duong %d: both should match every form", exact.Total, folded.Total)
	}
	seenOther := false
	for _, h := range exact.Hits {
		has := strings.Contains(strings.ToLower(h.TitleHTML+h.Snippet), "<mark>đường</mark>")
		if has && seenOther {
			t.Errorf("q=đường: %s has đường but ranks below an article without it: %v", h.ID, exact.ids())
		}
		seenOther = seenOther || !has
	}
	if folded.Suggestion == "" {
		t.Errorf("q=duong: no suggestion")
	}
}

func TestEndToEndHighlights(t *testing.T) {
	tests := []struct {
		query, id string
		in        func(title, snippet string) string
		want      string
	}{
		// Folded and tone-variant matches are marked in the article's own spelling.
		{"ha noi", "tinbaomau.vn:ts-001", title, "<mark>Hà Nội</mark>"},
		{"khoe manh", "suckhoe.baomau.vn:sk-004", title, "<mark>Khoẻ mạnh</mark>"},
		{"khỏe", "suckhoe.baomau.vn:sk-004", title, "<mark>Khoẻ</mark>"},
		{"nguoi dan vung cao", "tinbaomau.vn:ts-003", title, "<mark>Người dân vùng cao</mark>"}, // NFD at the source
		{"ghep than", "suckhoe.baomau.vn:sk-006", title, "<mark>ghép thận</mark>"},
		{"hien than", "suckhoe.baomau.vn:sk-006", snippet, "<mark>hiến thận</mark>"},
	}
	for _, tc := range tests {
		s := search(t, q(tc.query))
		i := slices.Index(s.ids(), tc.id)
		if i < 0 {
			t.Errorf("q=%q: %s not found in %v", tc.query, tc.id, s.ids())
			continue
		}
		h := s.Hits[i]
		if got := tc.in(h.TitleHTML, h.Snippet); !strings.Contains(got, tc.want) {
			t.Errorf("q=%q: %s %q does not contain %q", tc.query, tc.id, got, tc.want)
		}
		if !norm.NFC.IsNormalString(h.TitleHTML) {
			t.Errorf("q=%q: title_html %q is not NFC", tc.query, h.TitleHTML)
		}
	}
}

func title(t, _ string) string   { return t }
func snippet(_, s string) string { return s }

// Facet counts are exact and agree with total, with and without filters.
func TestEndToEndFacets(t *testing.T) {
	for _, params := range []url.Values{
		{},
		q("nam"),
		q("năm"), // tiered: the form typed first
		{"q": {"đường"}, "from": {"2019"}},
		{"q": {"nam"}, "from": {"2020"}, "to": {"2022-06"}},
		{"source": {"tinbaomau.vn", "kinhte.baomau.vn"}},
		{"q": {"hoa"}, "category": {"Sức khỏe"}},
	} {
		s := search(t, params)
		all := search(t, withSize(params, 100))
		if len(all.Hits) != int(s.Total) {
			t.Fatalf("%s: total %d, %d hits listed", params.Encode(), s.Total, len(all.Hits))
		}
		// Recount from the hits themselves.
		sources, years := map[string]int{}, map[string]int{}
		for _, h := range all.Hits {
			sources[h.Source]++
			if h.Published != "" {
				years[h.Published[:4]]++
			}
		}
		if got := sum(s.Facets.Sources); got != int(s.Total) {
			t.Errorf("%s: sources facet sums to %d, total %d", params.Encode(), got, s.Total)
		}
		for _, b := range s.Facets.Sources {
			if sources[b.Key] != b.Count {
				t.Errorf("%s: source %s: facet %d, hits %d", params.Encode(), b.Key, b.Count, sources[b.Key])
			}
		}
		for i, b := range s.Facets.Years {
			if years[b.Key] != b.Count {
				t.Errorf("%s: year %s: facet %d, hits %d", params.Encode(), b.Key, b.Count, years[b.Key])
			}
			if i > 0 && b.Key <= s.Facets.Years[i-1].Key {
				t.Errorf("%s: years not chronological: %v", params.Encode(), s.Facets.Years)
			}
		}
		if len(s.Facets.Months) > 0 && sum(s.Facets.Months) != sum(s.Facets.Years) {
			t.Errorf("%s: months sum to %d, years to %d", params.Encode(), sum(s.Facets.Months), sum(s.Facets.Years))
		}
	}
}

func withSize(v url.Values, size int) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Set("size", strconv.Itoa(size))
	return out
}

func TestEndToEndFiltersSortPaging(t *testing.T) {
	s := search(t, url.Values{"source": {"tinbaomau.vn"}, "from": {"2020"}, "to": {"2022"}, "sort": {"oldest"}})
	if s.Total == 0 {
		t.Fatal("no tinbaomau.vn articles in 2020–2022")
	}
	var prev time.Time
	for _, h := range s.Hits {
		p, err := time.Parse(time.RFC3339, h.Published)
		if err != nil {
			t.Fatalf("%s: published %q: %v", h.ID, h.Published, err)
		}
		if h.Source != "tinbaomau.vn" || p.Year() < 2020 || p.Year() > 2022 {
			t.Errorf("%s: %s %s is outside the filters", h.ID, h.Source, h.Published)
		}
		if p.Before(prev) {
			t.Errorf("sort=oldest: %s (%s) after a later article", h.ID, h.Published)
		}
		prev = p
	}

	// An empty query lists the archive newest first; pages are slices of it.
	all := search(t, url.Values{"size": {"9"}})
	p2 := search(t, url.Values{"size": {"3"}, "page": {"2"}})
	if got, want := p2.ids(), all.ids()[3:6]; !slices.Equal(got, want) {
		t.Errorf("page 2 of size 3: %v, want %v", got, want)
	}
	if p2.Page != 2 || p2.Size != 3 || p2.Total != all.Total {
		t.Errorf("page 2: page %d size %d total %d (all: %d)", p2.Page, p2.Size, p2.Total, all.Total)
	}
	for i := 1; i < len(all.Hits); i++ {
		if all.Hits[i].Published > all.Hits[i-1].Published && all.Hits[i-1].Published != "" {
			t.Errorf("empty query: %s after %s is not newest first", all.Hits[i].Published, all.Hits[i-1].Published)
		}
	}
}

func TestEndToEndBadRequests(t *testing.T) {
	tests := []struct {
		path    string
		status  int
		mention string
	}{
		{"/api/search?q=%22le+hoi", 400, "column"},
		{"/api/search?q=OR+hoi", 400, "column 1"},
		{"/api/search?q=a+-", 400, "q:"},
		{"/api/search?sort=best", 400, "sort"},
		{"/api/search?size=0", 400, "size"},
		{"/api/search?size=101", 400, "size"},
		{"/api/search?from=2024-13", 400, "from"},
		{"/api/search?from=2024&to=2023", 400, "from"},
		{"/api/search?page=1001", 400, "page"},
		{"/api/search?q=" + strings.Repeat("a+", 65), 400, "q"},
		{"/api/search?q=" + strings.Repeat("a", 1001), 400, "q"},
		{"/api/articles/nobody:1", 404, "not_found"},
	}
	for _, tc := range tests {
		var body struct {
			Error struct{ Code, Message string }
		}
		code := get(t, tc.path, &body)
		if code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, code, tc.status)
		}
		if body.Error.Code == "" || !strings.Contains(body.Error.Code+" "+body.Error.Message, tc.mention) {
			t.Errorf("%s: error %+v should mention %q", tc.path, body.Error, tc.mention)
		}
	}
}

// What a reader sees of a real search, kept as golden JSON (rewritten with
// -update): ranking order, highlights, snippets, facets. Timings and scores
// are left out: they change with the machine and with weights.
func TestEndToEndGolden(t *testing.T) {
	tests := []struct{ name, path string }{
		{"e2e_search", "/api/search?q=ha+noi&size=3"},
		{"e2e_search_filtered", "/api/search?q=duong&from=2019&to=2020-06&size=5"},
		{"e2e_archive", "/api/search?size=2&sort=oldest"},
	}
	for _, tc := range tests {
		var s searchResponse
		code := get(t, tc.path, &s)
		s.TookMS = 0
		for i := range s.Hits {
			s.Hits[i].Score = 0
		}
		rec := httptest.NewRecorder()
		writeJSON(rec, code, s)
		golden(t, tc.name, rec)
	}
}

func TestEndToEndArticle(t *testing.T) {
	var a struct{ ID, Title, Source, Published string }
	if code := get(t, "/api/articles/tinbaomau.vn:ts-003", &a); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if a.Title != "Người dân vùng cao đón Tết sớm trong nhà mới" || a.Source != "tinbaomau.vn" {
		t.Errorf("article %+v", a)
	}
}
