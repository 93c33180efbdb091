package index

import (
	"context"
	"testing"
)

// TestCorpusIndex checks the shared fixture: every article of the corpus is
// in the index under its own key, once.
func TestCorpusIndex(t *testing.T) {
	docs := corpusDocs(t)
	ix := corpusIndex(t)
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, d := range docs {
		keys[d.Article.ID] = true
	}
	if int(n) != len(keys) || len(keys) != len(docs) {
		t.Errorf("index holds %d articles; corpus has %d records with %d distinct keys", n, len(docs), len(keys))
	}
	last := docs[len(docs)-1].Article
	got, err := ix.Article(context.Background(), last.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != last.Title || got.Body != last.Body {
		t.Errorf("article %s: stored title/body differ from the corpus record", last.ID)
	}
}
