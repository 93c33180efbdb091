package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"kho/internal/article"
)

// relatedArticles is a small archive written for these tests: three reports
// and a follow-up of a flood in Hà Nội (one republished word for word by
// another paper), an older flood, two stories on "dân vận" and unrelated news.
var relatedArticles = []article.Article{
	{ID: "x.vn:1", Source: "x.vn", Published: day(2024, 6, 26),
		Title:   "Mưa lớn gây ngập sâu nhiều tuyến phố Hà Nội",
		Summary: "Trận mưa lớn chiều 26/6 khiến nhiều tuyến phố nội thành Hà Nội ngập sâu, giao thông ùn tắc kéo dài.",
		Body: "Cơn mưa bắt đầu từ khoảng 15 giờ và kéo dài hơn hai tiếng. Tại phố Nguyễn Khuyến, phố Hoàng Cầu và đường Láng, " +
			"nước ngập quá bánh xe, nhiều xe máy chết máy giữa đường. Công ty Thoát nước Hà Nội cho biết lượng mưa đo được " +
			"tại trạm Láng vượt 120 mm. Lực lượng cảnh sát giao thông được điều động phân luồng tại các nút giao bị ngập."},
	{ID: "w.vn:9", Source: "w.vn", Published: day(2024, 6, 26),
		Title:   "Hà Nội ngập sâu sau cơn mưa chiều",
		Summary: "Trận mưa lớn chiều 26/6 khiến nhiều tuyến phố nội thành Hà Nội ngập sâu, giao thông ùn tắc kéo dài.",
		Body: "Cơn mưa bắt đầu từ khoảng 15 giờ và kéo dài hơn hai tiếng. Tại phố Nguyễn Khuyến, phố Hoàng Cầu và đường Láng, " +
			"nước ngập quá bánh xe, nhiều xe máy chết máy giữa đường. Công ty Thoát nước Hà Nội cho biết lượng mưa đo được " +
			"tại trạm Láng vượt 120 mm. Lực lượng cảnh sát giao thông được điều động phân luồng tại các nút giao bị ngập. Theo x.vn"},
	{ID: "y.vn:2", Source: "y.vn", Published: day(2024, 6, 27),
		Title:   "Hà Nội: phố Hoàng Cầu, đường Láng thành sông sau mưa lớn",
		Summary: "Người dân Thủ đô vất vả lội nước về nhà khi mưa lớn làm ngập phố Hoàng Cầu và đường Láng.",
		Body: "Theo Công ty Thoát nước Hà Nội, lượng mưa tại trạm Láng lên tới 120 mm trong hai giờ. Nhiều tuyến phố như " +
			"Nguyễn Khuyến, Hoàng Cầu ngập sâu 40 đến 50 cm. Cảnh sát giao thông phải phân luồng, nhiều xe chết máy."},
	{ID: "z.vn:3", Source: "z.vn", Published: day(2024, 7, 2),
		Title:   "Hà Nội khắc phục điểm ngập phố Hoàng Cầu sau trận mưa lớn",
		Summary: "Sau trận mưa lớn tuần trước, Công ty Thoát nước Hà Nội lắp thêm máy bơm tại phố Hoàng Cầu và đường Láng.",
		Body: "Đại diện Công ty Thoát nước Hà Nội cho biết sẽ cải tạo cống ngầm tại nút giao Hoàng Cầu, nơi ngập sâu nhất " +
			"trong trận mưa ngày 26/6. Trạm bơm Yên Sở được vận hành hết công suất."},
	{ID: "x.vn:4", Source: "x.vn", Published: day(2019, 8, 10),
		Title:   "Mưa lớn, phố Hoàng Cầu lại ngập",
		Summary: "Mưa lớn sáng nay làm phố Hoàng Cầu và đường Láng ở Hà Nội ngập sâu.",
		Body:    "Công ty Thoát nước Hà Nội đã cử công nhân khơi thông cống tại phố Hoàng Cầu. Nhiều xe máy chết máy."},
	{ID: "y.vn:5", Source: "y.vn", Published: day(2024, 3, 5),
		Title: "Dân vận khéo ở xã vùng cao",
		Body: "Nhờ làm tốt công tác dân vận khéo, xã vùng cao Pà Cò đã vận động người dân hiến đất làm đường. " +
			"Mô hình dân vận khéo được huyện Mai Châu nhân rộng."},
	{ID: "z.vn:6", Source: "z.vn", Published: day(2024, 3, 20),
		Title: "Huyện Mai Châu nhân rộng mô hình dân vận khéo",
		Body:  "Huyện Mai Châu tổng kết phong trào thi đua dân vận khéo; xã Pà Cò được biểu dương vì vận động người dân hiến đất làm đường."},
	{ID: "x.vn:7", Source: "x.vn", Published: day(2024, 3, 21),
		Title: "Người dân vui đón xe khách mới",
		Body:  "Tuyến xe khách vận chuyển người dân từ huyện lên tỉnh được mở thêm chuyến, người dân đi lại dễ dàng."},
	{ID: "y.vn:8", Source: "y.vn", Published: day(2024, 6, 26),
		Title: "Giá vàng hôm nay tăng mạnh",
		Body:  "Giá vàng miếng trong nước sáng nay tăng 500 nghìn đồng mỗi lượng, theo đà tăng của giá vàng thế giới."},
	{ID: "z.vn:10", Source: "z.vn", Published: day(2024, 6, 28),
		Title: "Đội tuyển bóng đá nữ tập trung chuẩn bị vòng loại",
		Body:  "Đội tuyển bóng đá nữ Việt Nam hội quân tại Hà Nội để chuẩn bị cho vòng loại Olympic."},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, hanoi) }

func newRelatedIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := NewMem(Options{TimeZone: hanoi})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for i := range relatedArticles {
		a := relatedArticles[i]
		a.PublishedFrom = article.FromMetadata
		if err := indexArticle(ix, &a); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

func hitIDs(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}

func TestRelated(t *testing.T) {
	ix := newRelatedIndex(t)
	tests := []struct {
		name     string
		req      RelatedRequest
		want     []string // the first hits, in order; "a|b": either copy of a pair
		anyOrder bool     // the first hits in any order
		not      []string // ids that must not appear
	}{
		{"same event first, the copy folded, itself left out",
			RelatedRequest{ID: "y.vn:2", Size: 4}, []string{"x.vn:1|w.vn:9", "z.vn:3", "x.vn:4"}, true, []string{"y.vn:2"}},
		{"a republished copy of the article is a related story",
			RelatedRequest{ID: "x.vn:1", Size: 3}, []string{"w.vn:9"}, false, []string{"x.vn:1"}},
		{"window leaves out the flood of 2019",
			RelatedRequest{ID: "z.vn:3", Size: 10, WindowDays: 30}, []string{"y.vn:2", "x.vn:1|w.vn:9"}, true, []string{"x.vn:4", "y.vn:5"}},
		{"dân vận as a unit: the xe khách story shares only dân and vận apart",
			RelatedRequest{ID: "y.vn:5", Size: 2}, []string{"z.vn:6"}, false, []string{"y.vn:5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hs, err := ix.Related(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(hs)
			if len(got) < len(tc.want) {
				t.Fatalf("got %v, want first %v", got, tc.want)
			}
			if !firstAre(got, tc.want, tc.anyOrder) {
				t.Errorf("got %v, want first %v (any order: %t)", got, tc.want, tc.anyOrder)
			}
			if hasBoth(got, "x.vn:1", "w.vn:9") {
				t.Errorf("got %v: both copies x.vn:1 and w.vn:9", got)
			}
			for _, id := range tc.not {
				if slices.Contains(got, id) {
					t.Errorf("got %v, must not contain %s", got, id)
				}
			}
			if len(got) > max(tc.req.Size, 10) {
				t.Errorf("got %d hits, asked for %d", len(got), tc.req.Size)
			}
		})
	}
}

// firstAre tells whether got begins with want, where "a|b" accepts either.
func firstAre(got, want []string, anyOrder bool) bool {
	if len(got) < len(want) {
		return false
	}
	used := make([]bool, len(want))
	for i, id := range got[:len(want)] {
		found := false
		for j, w := range want {
			if (anyOrder || i == j) && !used[j] && slices.Contains(strings.Split(w, "|"), id) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func hasBoth(got []string, a, b string) bool {
	return slices.Contains(got, a) && slices.Contains(got, b)
}

func TestRelatedDrafts(t *testing.T) {
	ix := newRelatedIndex(t)
	flood := []string{"x.vn:1", "w.vn:9", "y.vn:2", "z.vn:3", "x.vn:4"}
	danVan := []string{"y.vn:5", "z.vn:6"}
	tests := []struct {
		req  RelatedRequest
		want []string // the first len(want)-1 hits are among these (the copies fold into one)
		n    int
	}{
		{RelatedRequest{Title: "Ngập ở phố Hoàng Cầu", Text: "Mưa lớn làm phố Hoàng Cầu, Hà Nội ngập sâu; Công ty Thoát nước cử người khơi thông."}, flood, 4},
		{RelatedRequest{Title: "Ngap o pho Hoang Cau", Text: "Mua lon lam pho Hoang Cau, Ha Noi ngap sau; Cong ty Thoat nuoc cu nguoi khoi thong."}, flood, 4},
		{RelatedRequest{Title: "Dan van kheo o Mai Chau", Text: "Xa Pa Co hien dat lam duong nho dan van kheo."}, danVan, 2},
	}
	for _, tc := range tests {
		hs, err := ix.Related(context.Background(), tc.req)
		if err != nil {
			t.Fatal(err)
		}
		got := hitIDs(hs)
		if len(got) < tc.n {
			t.Errorf("%q: got %v, want %d of %v first", tc.req.Title, got, tc.n, tc.want)
			continue
		}
		for _, id := range got[:tc.n] {
			if !slices.Contains(tc.want, id) {
				t.Errorf("%q: got %v, want %d of %v first", tc.req.Title, got, tc.n, tc.want)
				break
			}
		}
	}
}

// TestRelatedUnmarkedWords: a story written with diacritics finds an
// article through the words both write without marks (a brand, a model, a
// city abroad), which the exact fields leave out: they are looked up folded.
// The story shares no word with marks with the article.
func TestRelatedUnmarkedWords(t *testing.T) {
	ix := newRelatedIndex(t)
	a := article.Article{ID: "s.vn:1", Source: "s.vn", Published: day(2024, 6, 29), PublishedFrom: article.FromMetadata,
		Title: "Samsung giới thiệu Galaxy S30 ở Seoul", Body: "Samsung trình làng Galaxy S30 ở Seoul."}
	if err := indexArticle(ix, &a); err != nil {
		t.Fatal(err)
	}
	hs, err := ix.Related(t.Context(), RelatedRequest{Title: "Chiếc Galaxy S30 mới của Samsung",
		Text: "Mẫu Galaxy S30 được Samsung bán từ tháng sau tại Seoul, giá chưa công bố."})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(hs); len(got) == 0 || got[0] != a.ID {
		t.Errorf("got %v, want %s first", got, a.ID)
	}
}

func TestRelatedAlsoIn(t *testing.T) {
	ix := newRelatedIndex(t)
	hs, err := ix.Related(context.Background(), RelatedRequest{ID: "z.vn:3", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var copies []Hit
	for _, h := range hs {
		if h.ID == "x.vn:1" || h.ID == "w.vn:9" {
			copies = append(copies, h)
		}
	}
	if len(copies) != 1 {
		t.Fatalf("got %v: want exactly one of the two copies x.vn:1, w.vn:9", hitIDs(hs))
	}
	want := map[string]string{"x.vn:1": "w.vn", "w.vn:9": "x.vn"}[copies[0].ID]
	if !slices.Equal(copies[0].AlsoIn, []string{want}) {
		t.Errorf("%s: also_in %v, want [%s]", copies[0].ID, copies[0].AlsoIn, want)
	}
}

func TestRelatedErrors(t *testing.T) {
	ix := newRelatedIndex(t)
	_, err := ix.Related(context.Background(), RelatedRequest{ID: "nope:1"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: got %v, want ErrNotFound", err)
	}
	hs, err := ix.Related(context.Background(), RelatedRequest{Title: "…", Text: " ,.; "})
	if err != nil || len(hs) != 0 {
		t.Errorf("draft without words: got %v, %v; want no hits, no error", hitIDs(hs), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Related(ctx, RelatedRequest{ID: "x.vn:1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v, want context.Canceled", err)
	}
}

func TestUnits(t *testing.T) {
	tp := tokenizeParts([]part{{"Dân vận khéo ở Hà Nội. Ông Nguyễn Văn An nói: dân vận là gốc, Hà Nội đồng tình.", 1}})
	if !tp.marked() {
		t.Error("marked() = false for text with diacritics")
	}
	tests := []struct {
		exact       bool
		key         string
		count, name int
	}{
		{true, "dân vận", 2, 0}, // a pair, twice; not a name
		{true, "hà nội", 2, 2},  // capitalized mid-sentence, even after a comma: a name
		{true, "nguyễn văn", 1, 1},
		{true, "dân", 2, 0},     // sentence-initial capitals prove nothing
		{true, "nói dân", 0, 0}, // "nói: dân" crosses a colon
		{true, "nội ông", 0, 0}, // "Nội. Ông" crosses a sentence
		{true, "gốc hà", 0, 0},  // nor a comma
		{false, "dan van", 2, 0},
		{false, "dan", 2, 0},
	}
	for _, tc := range tests {
		u := tp.units(tc.exact)[tc.key]
		count, name := 0, 0
		if u != nil {
			count, name = u.count, u.names
		}
		if count != tc.count || name != tc.name {
			t.Errorf("%q: count %d, names %d; want %d, %d", tc.key, count, name, tc.count, tc.name)
		}
	}
	if tokenizeParts([]part{{"dan van kheo o ha noi", 1}}).marked() {
		t.Error("marked() = true for text typed without diacritics")
	}
}

// TestRelatedDocFreqAfterUpdate: document frequencies are cached, but an
// update in place (the number of articles unchanged) must not leave them
// stale, or a word new to the archive would weigh as if nobody else used it.
func TestRelatedDocFreqAfterUpdate(t *testing.T) {
	ix := newRelatedIndex(t)
	ctx := context.Background()
	dfOf := func(syllable string) uint64 {
		t.Helper()
		dfs, err := ix.docFreqs()
		if err != nil {
			t.Fatal(err)
		}
		defer dfs.Close()
		df, err := dfs.of(ctx, syllable, true)
		if err != nil {
			t.Fatal(err)
		}
		return df
	}
	if got := dfOf("yên"); got != 1 {
		t.Fatalf("df(yên) = %d before the update, want 1", got)
	}
	a := relatedArticles[8] // the gold price, rewritten to mention Yên Sở
	a.Body += " Trạm bơm Yên Sở hoạt động bình thường."
	if err := indexArticle(ix, &a); err != nil {
		t.Fatal(err)
	}
	if got := dfOf("yên"); got != 2 {
		t.Errorf("df(yên) = %d after an update in place, want 2", got)
	}
}
