package index

import (
	"context"
	"fmt"
)

// Delete removes the article with the given key; ErrNotFound when there is
// none. Searches issued after Delete returns no longer find it.
func (ix *Index) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := ix.bleve.Document(id)
	if err != nil {
		return fmt.Errorf("delete article %q: %w", id, err)
	}
	if doc == nil {
		return fmt.Errorf("delete article %q: %w", id, ErrNotFound)
	}
	if err := ix.bleve.Delete(id); err != nil {
		return fmt.Errorf("delete article %q: %w", id, err)
	}
	ix.learn(articleFromStored(id, doc), -1)
	return nil
}
