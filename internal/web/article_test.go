package web

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"kho/index"
	"kho/internal/article"
)

func storedArticle(id string) *article.Article {
	return &article.Article{
		ID: id, URL: "https://kinhtedothi.vn/dan-van-kheo-123.html",
		Title:    "Dân vận khéo ở Hà Nội",
		Summary:  "Phong trào lan rộng.",
		Body:     "Đoạn một.\n\nĐoạn hai, dòng một.\nDòng hai.\n\n\n  \nĐoạn cuối.",
		Captions: []string{"Ảnh: người dân", " "}, Tags: []string{"dân vận", "Hà Nội"},
		Author: "Minh Anh", Category: "Thời sự", Source: "kinhtedothi.vn",
		Published: time.Date(2024, 6, 26, 14, 30, 0, 0, saigon), PublishedFrom: article.FromMetadata,
	}
}

func TestArticlePage(t *testing.T) {
	var gotID string
	var gotRel index.RelatedRequest
	e := &fakeEngine{
		article: func(id string) (*article.Article, error) { gotID = id; return storedArticle(id), nil },
		related: func(req index.RelatedRequest) ([]index.Hit, error) {
			gotRel = req
			return []index.Hit{{ID: "vov.vn:7", Title: "Tin liên quan một", TitleHTML: "Tin liên quan một",
				Source: "vov.vn", Published: time.Date(2024, 6, 27, 8, 0, 0, 0, saigon)}}, nil
		},
	}
	r := get(t, e, "/a/kinhtedothi.vn:123?q=dan+van&from=2024&to=2024")
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	if gotID != "kinhtedothi.vn:123" || gotRel.ID != gotID || gotRel.Size != relatedCount {
		t.Errorf("engine got article %q, related %+v", gotID, gotRel)
	}
	for _, want := range []string{
		"<h1>Dân vận khéo ở Hà Nội</h1>",
		`<time datetime="2024-06-26T14:30:00&#43;07:00">14:30, 26/06/2024</time>`,
		`<p class="lead">Phong trào lan rộng.</p>`,
		"<p>Đoạn một.</p>", "<p>Đoạn hai, dòng một.</p>", "<p>Dòng hai.</p>", "<p>Đoạn cuối.</p>",
		"<li>Ảnh: người dân</li>", "Tác giả:", "Minh Anh",
		"Tin liên quan", "Tin liên quan một", "27/06/2024",
		`value="dan van"`, // the box keeps the search
		"<title>Dân vận khéo ở Hà Nội – Kho</title>",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(r.body, "<li>") != 1 {
		t.Errorf("blank captions are listed")
	}
	for _, href := range []string{
		"/?from=2024&q=dan+van&to=2024",                // back to the search
		"/a/vov.vn:7?from=2024&q=dan+van&to=2024",      // a related story, same search
		"/?source=kinhtedothi.vn", "/?author=Minh+Anh", // filters
		"/?category=Th%E1%BB%9Di+s%E1%BB%B1", "/?tag=d%C3%A2n+v%E1%BA%ADn",
		"https://kinhtedothi.vn/dan-van-kheo-123.html", // the original
	} {
		if !r.hasLink(href) {
			t.Errorf("page lacks a link to %s", href)
		}
	}
}

func TestArticlePageEdgeCases(t *testing.T) {
	tests := []struct {
		name, target string
		e            *fakeEngine
		status       int
		want, not    []string
	}{
		{"unknown article", "/a/nope:1", &fakeEngine{}, 404, []string{"Không tìm thấy bài viết"}, nil},
		{"no id", "/a/", &fakeEngine{}, 404, []string{"Không tìm thấy trang"}, nil},
		{"engine error", "/a/x:1", &fakeEngine{article: func(string) (*article.Article, error) {
			return nil, errors.New("bleve: disk on fire")
		}}, 500, []string{"Đã xảy ra lỗi"}, []string{"disk"}},
		{"related fails, the article still shows", "/a/x:1", &fakeEngine{
			article: func(id string) (*article.Article, error) { return storedArticle(id), nil },
			related: func(index.RelatedRequest) ([]index.Hit, error) { return nil, errors.New("boom") },
		}, 200, []string{"Dân vận khéo", "Chưa tải được tin liên quan"}, []string{"boom"}},
		{"no related stories, no back search", "/a/x:1", &fakeEngine{
			article: func(id string) (*article.Article, error) { return storedArticle(id), nil },
		}, 200, []string{"Không có tin liên quan", `<a href="/">← Về trang tìm kiếm</a>`}, nil},
		{"a date read from the text", "/a/x:1", &fakeEngine{article: func(id string) (*article.Article, error) {
			a := storedArticle(id)
			a.PublishedFrom = article.FromText
			return a, nil
		}}, 200, []string{"14:30, 26/06/2024</time> <span class=\"note\">(ngày suy ra từ nội dung bài)</span>"}, nil},
		{"a bare article", "/a/x:1", &fakeEngine{article: func(id string) (*article.Article, error) {
			return &article.Article{ID: id, Body: "Chỉ có thân bài.", Source: "x", URL: "javascript:alert(1)"}, nil
		}}, 200, []string{"(không có tiêu đề)", "không rõ ngày", "<p>Chỉ có thân bài.</p>"},
			[]string{"Xem bài gốc", "Tác giả", "Chú thích ảnh", `class="lead"`}},
		{"an id with a slash and a percent sign", "/a/x.vn:a%2Fb%25c", &fakeEngine{
			article: func(id string) (*article.Article, error) {
				if id != "x.vn:a/b%c" {
					return nil, index.ErrNotFound
				}
				return storedArticle(id), nil
			},
		}, 200, []string{"Dân vận khéo"}, nil},
		{"an unknown path", "/khong-co", &fakeEngine{}, 404, []string{"Không tìm thấy trang", `lang="vi"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, tt.e, tt.target)
			if r.status != tt.status {
				t.Errorf("status %d, want %d", r.status, tt.status)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(r.body, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}

func TestArticleLinkRoundTrips(t *testing.T) {
	for _, id := range []string{"tuoitre.vn:123", "x.vn:a/b", "x.vn:50%", "x.vn:?#&", "báo.vn:đường"} {
		var got string
		e := &fakeEngine{article: func(id string) (*article.Article, error) { got = id; return storedArticle(id), nil }}
		href := articleHref(id, state{"q": {"a"}})
		if r := get(t, e, href); r.status != 200 || got != id {
			t.Errorf("%q: link %s reached id %q with status %d", id, href, got, r.status)
		}
	}
}
