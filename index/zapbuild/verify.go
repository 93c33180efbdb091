package zapbuild

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// Verify builds a segment of make's documents with zap's builder and with
// this package's, and returns an error unless the two segment files are
// the same (up to the order in which zap lists a field's sections, which is
// a Go map's). make is called once for each builder: zap's changes the
// documents' term maps.
func Verify(make func() []index.Document) error {
	want, err := persisted(&zap.ZapPlugin{}, make())
	if err != nil {
		return err
	}
	got, err := persisted(&Plugin{}, make())
	if err != nil {
		return err
	}
	return same(got, want)
}

// same compares two segment files.
func same(got, want []byte) error {
	stored := binary.BigEndian.Uint32(got[len(got)-4:])
	if crc := crc32.ChecksumIEEE(got[:len(got)-4]); crc != stored {
		return fmt.Errorf("checksum %08x does not match the segment's bytes (%08x)", stored, crc)
	}
	want, got = canonical(want), canonical(got)
	if len(got) != len(want) {
		return fmt.Errorf("segment of %d bytes, zap's has %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Errorf("segments differ first at byte %d of %d: got % x, want % x", i, len(got),
				got[i:min(i+16, len(got))], want[i:min(i+16, len(want))])
		}
	}
	return nil
}

// segmentBuilder is what Verify needs of a segment plugin.
type segmentBuilder interface {
	New([]index.Document) (segment.Segment, uint64, error)
}

func persisted(p segmentBuilder, docs []index.Document) ([]byte, error) {
	seg, _, err := p.New(docs)
	if err != nil {
		return nil, fmt.Errorf("%T.New: %w", p, err)
	}
	defer seg.Close()
	var buf bytes.Buffer
	if _, err := seg.(io.WriterTo).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write the segment of %T: %w", p, err)
	}
	return buf.Bytes(), nil
}

// canonical returns a segment file without its checksum and with each
// field's sections listed in order.
func canonical(file []byte) []byte {
	out := slices.Clone(file[:len(file)-4])
	for _, f := range readFields(out, readFooter(file).fieldsIndex) {
		list := make([][]byte, len(f.pairs)/sectionPairSize)
		for i := range list {
			list[i] = slices.Clone(f.pairs[i*sectionPairSize : (i+1)*sectionPairSize])
		}
		slices.SortFunc(list, bytes.Compare)
		copy(f.pairs, bytes.Join(list, nil)) // f.pairs is out's
	}
	return out
}

// VerifyMerge persists a segment of each batch batches returns (built with
// plugin), merges them with zap's merge and with plugin's, and returns an
// error unless the two files are the same, up to the order of a field's
// sections. dir holds the files.
func VerifyMerge(plugin *Plugin, dir string, batches func() [][]index.Document) error {
	var segs []segment.Segment
	defer func() {
		for _, s := range segs {
			s.Close()
		}
	}()
	for i, docs := range batches() {
		sb, _, err := plugin.New(docs)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, fmt.Sprintf("in-%d.zap", i))
		if err := sb.(segment.UnpersistedSegment).Persist(path); err != nil {
			return err
		}
		sb.Close()
		s, err := plugin.Open(path)
		if err != nil {
			return err
		}
		segs = append(segs, s)
	}
	drops := make([]*roaring.Bitmap, len(segs))
	wantPath, gotPath := filepath.Join(dir, "zap.zap"), filepath.Join(dir, "zapbuild.zap")
	wantNums, _, err := plugin.zapMerge(segs, drops, wantPath, nil, nil, nil)
	if err != nil {
		return fmt.Errorf("zap's merge: %w", err)
	}
	gotNums, _, err := plugin.Merge(segs, drops, gotPath, nil, nil)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if fmt.Sprint(gotNums) != fmt.Sprint(wantNums) {
		return fmt.Errorf("new document numbers differ")
	}
	want, err := os.ReadFile(wantPath)
	if err != nil {
		return err
	}
	got, err := os.ReadFile(gotPath)
	if err != nil {
		return err
	}
	return same(got, want)
}
