package zapbuild

import (
	"fmt"
	"hash/crc32"
	"sync"
	"sync/atomic"

	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// Plugin is zap v17 with this package's New. Register it with scorch in
// place of zap's (scorch.RegisterSegmentPlugin(&Plugin{}, true)): it has
// zap's type and version; the segments its Open gives are zap's, with
// their keys filtered (Segment), and any merge its own cannot do is zap's.
type Plugin struct {
	zap.ZapPlugin
	// Fields, when set, are listed in every segment with these options,
	// whether its documents have them or not. zap merges segments that
	// list the same fields with the same options by copying their stored
	// values and their postings' frequencies as they are, instead of
	// decoding and encoding them again.
	Fields map[string]index.FieldIndexingOptions
}

// New builds a segment of the documents, numbered in their order.
func (p *Plugin) New(results []index.Document) (segment.Segment, uint64, error) {
	return p.NewUsing(results, nil)
}

// NewUsing is New with scorch's segment configuration, which the segment
// keeps as zap's own would.
func (p *Plugin) NewUsing(results []index.Document, config map[string]any) (segment.Segment, uint64, error) {
	b := builders.Get().(*builder)
	defer func() { b.reset(); builders.Put(b) }()
	if len(results) == 0 || !b.invert(results, p.Fields) {
		return p.ZapPlugin.NewUsing(results, config)
	}
	out, err := b.write()
	if err != nil {
		return nil, 0, fmt.Errorf("build a segment of %d documents: %w", len(results), err)
	}
	stats, _ := config[segment.StatsKey].(*segment.Stats)
	if stats == nil {
		stats = new(segment.Stats)
	}
	n := uint64(len(results))
	atomic.AddUint64(&stats.TotNewRootDocsProcessed, n)
	atomic.AddUint64(&stats.TotNewDocsProcessed, n)
	atomic.AddUint64(&stats.TotNewDocsIndexed, n)
	sb, err := zap.InitSegmentBase(out.mem, crc32.ChecksumIEEE(out.mem), zap.DefaultChunkMode,
		n, out.storedIndex, out.sectionsIndex, config, stats)
	if err != nil {
		return nil, 0, err
	}
	return sb, uint64(len(out.mem)), nil
}

// builders keeps builders' buffers from one batch to the next.
var builders = sync.Pool{New: func() any { return new(builder) }}
