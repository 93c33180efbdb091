package index

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// A bulk ingest leaves the index in a dozen segments of graded sizes, the
// way bleve merges while writing. A search looks up every query term in
// every segment's dictionaries and walks each segment's postings apart, and
// each segment keeps its own dictionaries of the same syllables and pairs.
// Merged into one segment, the corpus index took a fifth less disk (374 →
// 301 MB) and searched a few percent faster (bench-search at concurrency 16:
// 320/314 → 333/328 searches/s); the merge costs ~8 % of the ingest's time.
// An ingest that changed a small part of a large index leaves the merging to
// bleve: rewriting a million articles for a day's news would not pay.

// bulkMergePlan is how bleve merges segments while a bulk load writes them.
// A load into a new index (fresh) ends with Compact, so the segments it
// leaves meanwhile matter less than the bytes it rewrites: it merges a
// hundred segments at a time instead of ten, in tiers a hundred times
// larger. By bleve's plan, a million articles written a thousand at a time
// are rewritten 2.8 times over before the final merge; by this one, about
// once, up to three million (TestBulkMergePlanRewritesLess); the segments
// it keeps meanwhile cost scorch's lookup of each batch's keys a little
// more, which their key filters keep small (zapbuild.Segment). 1 M, the
// same half hour: 352 → 330 s (BENCHMARKS.md). A load into an index that
// has articles adds a day's news to a large index, which it seldom
// compacts (WorthCompacting): it merges twenty at a time, in tiers twenty
// times larger, and leaves a searcher fewer small segments. bleve reads
// the plan as JSON over its defaults.
func bulkMergePlan(fresh bool) map[string]any {
	if fresh {
		return map[string]any{"MaxSegmentsPerTier": 100, "SegmentsPerMergeTask": 100, "TierGrowth": 100.0}
	}
	return map[string]any{"MaxSegmentsPerTier": 20, "SegmentsPerMergeTask": 20, "TierGrowth": 20.0}
}

// hasSegments reports whether the index at path holds a segment on disk:
// whether it is not a new index.
func hasSegments(path string) bool {
	zaps, err := filepath.Glob(filepath.Join(path, "store", "*.zap"))
	return err != nil || len(zaps) > 0
}

// compactShare is the part of the index a run must have written for
// compacting to pay.
const compactShare = 4 // a quarter

// WorthCompacting reports whether a run that added or updated written
// articles changed enough of the index for Compact to pay.
func (ix *Index) WorthCompacting(written uint64) bool {
	n, err := ix.bleve.DocCount()
	return err == nil && written > 0 && written*compactShare >= n
}

// Compact merges the index's segments into one. Searches and writes may go
// on meanwhile; they see the segments until the merged one replaces them.
func (ix *Index) Compact(ctx context.Context) error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("compact: index %T is not scorch's", adv)
	}
	// bleve's single-segment plan merges ten segments a task and plans
	// once; one task for all of them leaves none apart.
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.SegmentsPerMergeTask = 1 << 20
	if err := s.ForceMerge(ctx, &plan); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	return ctx.Err()
}
