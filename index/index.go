package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"

	"kho/internal/article"
	"kho/internal/restore"
)

// DefaultTimeZone is the archive time zone when none is given: years and
// months of facets are counted in it.
const DefaultTimeZone = "Asia/Ho_Chi_Minh"

// Errors callers act on.
var (
	ErrNotFound      = errors.New("not found")
	ErrSchemaVersion = errors.New("index schema version mismatch")
	ErrLocked        = errors.New("index in use by another process")
)

// Internal keys stored inside the bleve index beside the documents.
var (
	keySchemaVersion = []byte("kho:schema_version")
	keyTimeZone      = []byte("kho:time_zone")
)

// Options configure opening or creating an index.
type Options struct {
	// TimeZone is the archive's zone. Creating an index records it; opening
	// one with a different non-nil zone is an error, because year and month
	// facets were computed in the recorded zone.
	TimeZone *time.Location
	// Bulk opens the index for loading an archive (kho ingest): bleve does
	// not make each batch durable before the next, so it can merge small
	// segments in memory before writing them, and Writer.Flush waits until
	// everything written so far is on disk. A crash loses the batches not yet
	// flushed; ingesting the same files again writes them. Servers that
	// acknowledge each write leave it off.
	Bulk bool
}

// Index is an open kho index.
type Index struct {
	bleve     bleve.Index
	path      string // "" for in-memory indexes
	loc       *time.Location
	bulk      bool          // batches are persisted asynchronously (Options.Bulk)
	dia       diacritics    // how the archive writes syllables: suggestions and ranking
	columns   *columnCache  // facet terms and dates by segment, see columns.go
	searching chan struct{} // one per search running: see takeTurn
	dfs       dfCache       // document frequencies for Related (related_df.go)
}

// Create makes a new index at path, which must not exist. The index is
// built in a hidden directory beside path and renamed into place once it is
// complete on disk, so a crash (even SIGKILL) never leaves a half-made index
// at path that later refuses to open.
func Create(path string, opts Options) (*Index, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("create index %q: already exists", path)
	}
	parent := filepath.Dir(path)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create index %q: %w", path, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(path)+".creating-")
	if err != nil {
		return nil, fmt.Errorf("create index %q: %w", path, err)
	}
	defer os.RemoveAll(tmp) // gone already when the rename succeeded
	b, err := bleve.NewUsing(tmp, newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index %q: %w", path, err)
	}
	ix, err := initialize(b, tmp, opts)
	if err != nil {
		return nil, err
	}
	if err := ix.Close(); err != nil { // persists the schema version and time zone
		return nil, fmt.Errorf("create index %q: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		if _, statErr := os.Stat(path); statErr == nil {
			return Open(path, opts) // another process created it meanwhile
		}
		return nil, fmt.Errorf("create index %q: %w", path, err)
	}
	if err := syncDir(parent); err != nil {
		return nil, fmt.Errorf("create index %q: %w", path, err)
	}
	return Open(path, opts)
}

// syncDir makes a rename or new file in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// NewMem makes an index that lives in memory only, for tests.
func NewMem(opts Options) (*Index, error) {
	b, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create in-memory index: %w", err)
	}
	return initialize(b, "", opts)
}

func initialize(b bleve.Index, path string, opts Options) (*Index, error) {
	loc := opts.TimeZone
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(DefaultTimeZone); err != nil {
			b.Close()
			return nil, fmt.Errorf("load time zone: %w", err)
		}
	}
	if err := b.SetInternal(keySchemaVersion, []byte(strconv.Itoa(SchemaVersion))); err != nil {
		b.Close()
		return nil, fmt.Errorf("record schema version: %w", err)
	}
	if err := b.SetInternal(keyTimeZone, []byte(loc.String())); err != nil {
		b.Close()
		return nil, fmt.Errorf("record time zone: %w", err)
	}
	ix := newIndex(b, path, loc, false)
	ix.dia.model = restore.NewModel()
	return ix, nil
}

// Open opens an existing index, refusing one built with another schema version.
func Open(path string, opts Options) (*Index, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open index %q: %w", path, err)
	}
	config := map[string]any{"bolt_timeout": "1s", "unsafe_batch": opts.Bulk}
	if opts.Bulk {
		config["scorchMergePlanOptions"] = bulkMergePlan(!hasSegments(path))
	}
	b, err := bleve.OpenUsing(path, config)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open index %q: %w (kho serve or kho ingest has it open): "+
			"stop that process or wait for it to finish; kho backup works while kho serve runs", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %q: %w (is another kho process using it?)", path, err)
	}
	ix, err := check(b, path, opts)
	if err != nil {
		b.Close()
		return nil, err
	}
	if err := ix.loadModel(context.Background()); err != nil {
		b.Close()
		return nil, fmt.Errorf("open index %q: %w", path, err)
	}
	return ix, nil
}

// OpenOrCreate opens the index at path, creating it when it does not exist.
func OpenOrCreate(path string, opts Options) (*Index, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return Create(path, opts)
	}
	return Open(path, opts)
}

func check(b bleve.Index, path string, opts Options) (*Index, error) {
	v, err := b.GetInternal(keySchemaVersion)
	if err != nil {
		return nil, fmt.Errorf("open index %q: read schema version: %w", path, err)
	}
	if string(v) != strconv.Itoa(SchemaVersion) {
		return nil, fmt.Errorf("open index %q: %w: built with version %q, this kho needs %d; "+
			"rebuild it: remove %s and run kho ingest again", path, ErrSchemaVersion, v, SchemaVersion, path)
	}
	zone, err := b.GetInternal(keyTimeZone)
	if err != nil {
		return nil, fmt.Errorf("open index %q: read time zone: %w", path, err)
	}
	loc, err := time.LoadLocation(string(zone))
	if err != nil {
		return nil, fmt.Errorf("open index %q: time zone %q: %w", path, zone, err)
	}
	if opts.TimeZone != nil && opts.TimeZone.String() != loc.String() {
		return nil, fmt.Errorf("open index %q: it was built for time zone %s, not %s; "+
			"use --tz %s or rebuild the index", path, loc, opts.TimeZone, loc)
	}
	return newIndex(b, path, loc, opts.Bulk), nil
}

func newIndex(b bleve.Index, path string, loc *time.Location, bulk bool) *Index {
	return &Index{bleve: b, path: path, loc: loc, bulk: bulk,
		columns: newColumnCache(), searching: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// Close saves the diacritics model if writes changed it and closes the
// index; it must not be used afterwards.
func (ix *Index) Close() error {
	err := ix.saveModelIfChanged()
	if cerr := ix.bleve.Close(); err == nil {
		err = cerr
	}
	return err
}

// Path is where the index lives on disk ("" in memory).
func (ix *Index) Path() string { return ix.path }

// Location is the archive time zone.
func (ix *Index) Location() *time.Location { return ix.loc }

// Count is the number of articles.
func (ix *Index) Count() (uint64, error) { return ix.bleve.DocCount() }

// Article returns the stored article with the given key, or ErrNotFound.
func (ix *Index) Article(ctx context.Context, id string) (*article.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := ix.bleve.Document(id)
	if err != nil {
		return nil, fmt.Errorf("article %q: %w", id, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("article %q: %w", id, ErrNotFound)
	}
	a := articleFromStored(id, doc)
	if !a.Published.IsZero() {
		a.Published = a.Published.In(ix.loc)
	}
	return a, nil
}
