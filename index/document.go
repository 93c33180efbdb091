package index

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	bleveindex "github.com/blevesearch/bleve_index_api"

	"kho/internal/article"
)

// ContentHash identifies an article's content: equal hashes mean re-indexing
// would change nothing, so the writer skips the record.
func ContentHash(a *article.Article) string {
	h := sha256.New()
	put := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	put(a.URL)
	put(a.Title)
	put(a.Summary)
	put(a.Body)
	for _, group := range [][]string{a.Captions, a.ReadingList, a.Tags} {
		for _, s := range group {
			put(s)
		}
		put("\x01")
	}
	put(a.Author)
	put(a.Category)
	put(a.Source)
	if !a.Published.IsZero() {
		put(a.Published.UTC().Format(time.RFC3339Nano))
	}
	put(a.PublishedFrom)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// articleFromStored rebuilds an article from the stored fields of a document.
func articleFromStored(id string, doc bleveindex.Document) *article.Article {
	a := &article.Article{ID: id, PublishedFrom: article.FromUnknown}
	doc.VisitFields(func(f bleveindex.Field) {
		switch f.Name() {
		case FieldTitle:
			a.Title = string(f.Value())
		case FieldSummary:
			a.Summary = string(f.Value())
		case FieldBody:
			a.Body = string(f.Value())
		case FieldCaptions:
			a.Captions = append(a.Captions, string(f.Value()))
		case FieldReadingList:
			a.ReadingList = append(a.ReadingList, string(f.Value()))
		case FieldTags:
			a.Tags = append(a.Tags, string(f.Value()))
		case FieldURL:
			a.URL = string(f.Value())
		case FieldAuthor:
			a.Author = string(f.Value())
		case FieldCategory:
			a.Category = string(f.Value())
		case FieldSource:
			a.Source = string(f.Value())
		case FieldPublishedFrom:
			a.PublishedFrom = string(f.Value())
		case FieldPublished:
			if df, ok := f.(bleveindex.DateTimeField); ok {
				if t, _, err := df.DateTime(); err == nil {
					a.Published = t
				}
			}
		}
	})
	return a
}
