package zapbuild

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/blevesearch/vellum"
)

// A merge whose source is damaged part-way through a field's terms, or
// whose output fails, returns the error of the stage that met it, once the
// terms before have gone through every stage, and leaves no stage waiting
// (a stage left waiting hangs the test).
func TestMergeTermsStopsAtFirstError(t *testing.T) {
	const good = 3000 // many batches of terms before the bad one
	damaged := errors.New("no space left")
	for _, tc := range []struct {
		name    string
		bad     func(mem []byte, goodRec int) (rec int, out []byte) // the bad term's record
		out     io.Writer
		wantErr error
	}{
		{"locations", func(mem []byte, _ int) (int, []byte) { // found by gather
			rec := len(mem)
			mem = binary.AppendUvarint(mem, 0)
			return rec, binary.AppendUvarint(mem, 1) // an offset of locations
		}, io.Discard, errUnsupported},
		{"frequencies cut short", func(mem []byte, _ int) (int, []byte) { // by decodeTerm
			return appendRecord(mem, appendBitmap(nil, []uint32{1, 2, 3}), nil)
		}, io.Discard, errFreqsShort},
		{"bitmap cut short", func(mem []byte, _ int) (int, []byte) {
			bm := appendBitmap(nil, []uint32{1, 2, 3})
			return appendRecord(mem, bm[:len(bm)-2], []byte{2, 1, 2, 1, 2, 1})
		}, io.Discard, errBitmap},
		{"write fails", func(mem []byte, goodRec int) (int, []byte) { // by writeTerm
			return goodRec, mem
		}, &failingWriter{after: 1 << 16, err: damaged}, damaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			goodRec, mem := appendRecord(nil, appendBitmap(nil, []uint32{1, 2, 3}), []byte{2, 1, 2, 1, 2, 1})
			badRec, mem := tc.bad(mem, goodRec)
			var fstBuf bytes.Buffer
			b, err := vellum.New(&fstBuf, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := range good + 10 {
				rec := goodRec
				if i == good {
					rec = badRec
				}
				if err := b.Insert(fmt.Appendf(nil, "t%05d", i), uint64(rec)); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			fst, err := vellum.Load(fstBuf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			it, err := fst.Iterator(nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			term, val := it.Current()
			m := &merger{srcs: []*source{{mem: mem, numDocs: 10}}, base: []uint64{0}, numDocs: 10,
				closeCh: make(chan struct{}), w: &countWriter{w: bufio.NewWriterSize(tc.out, 1<<10)}}
			if err := m.startDictionary(); err != nil {
				t.Fatal(err)
			}
			err = m.terms([]*cursor{{src: 0, it: it, term: term, val: val}})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("merge: %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// appendRecord appends a postings record of the documents of bitmap, with
// frequencies and norms freqs in one chunk, as zap lays it out, and
// returns its offset.
func appendRecord(mem []byte, bm []byte, freqs []byte) (int, []byte) {
	tf := len(mem)
	mem = binary.AppendUvarint(mem, 1) // one chunk
	mem = binary.AppendUvarint(mem, uint64(len(freqs)))
	mem = append(mem, freqs...)
	rec := len(mem)
	mem = binary.AppendUvarint(mem, uint64(tf))
	mem = binary.AppendUvarint(mem, noLocations)
	mem = binary.AppendUvarint(mem, uint64(len(bm)))
	return rec, append(mem, bm...)
}

// failingWriter fails every write past its first bytes.
type failingWriter struct {
	after int
	err   error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.after {
		return 0, w.err
	}
	w.after -= len(p)
	return len(p), nil
}
