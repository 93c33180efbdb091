package zapbuild_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/registry"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"kho/index/zapbuild"
)

// TestSameBytesAsZap builds segments of the same documents with zap's
// builder and this package's, and requires the same file: every reader of
// zap's format, scorch's merges included, then reads ours as its own.
func TestSameBytesAsZap(t *testing.T) {
	for _, n := range []int{1, 7, 1000, 2600} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			if err := zapbuild.Verify(func() []index.Document { return documents(t, n) }); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestNumberedTermsSameBytesAsZap: terms a field lists and numbers
// (TermNumberer), the same number in every document and batch, some
// without one, are found by their numbers and make zap's file.
func TestNumberedTermsSameBytesAsZap(t *testing.T) {
	numbers := map[string]uint32{}
	for _, n := range []int{7, 1000} {
		err := zapbuild.Verify(func() []index.Document {
			docs := documents(t, n)
			for _, d := range docs {
				doc := d.(*bdoc.Document)
				for i, f := range doc.Fields {
					if tf, ok := f.(*bdoc.TextField); ok && f.Options().IsIndexed() && (f.Name() == "text" || f.Name() == "title") {
						doc.Fields[i] = numbered(tf, numbers)
					}
				}
			}
			return docs
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// numberedField lists its terms and numbers them.
type numberedField struct {
	*bdoc.TextField
	terms       []string
	freqs, nums []uint32
}

func (f *numberedField) Terms() ([]string, []uint32) { return f.terms, f.freqs }
func (f *numberedField) TermNumbers() []uint32       { return f.nums }

// numbered lists an analyzed field's terms, numbering them by numbers (a
// term in five without a number).
func numbered(f *bdoc.TextField, numbers map[string]uint32) *numberedField {
	n := &numberedField{TextField: f}
	for term, tf := range f.AnalyzedTokenFrequencies() {
		num, ok := numbers[term]
		if !ok {
			num = uint32(len(numbers))
			if num%5 == 0 {
				num = zapbuild.NoTerm
			}
			numbers[term] = num
		}
		n.terms = append(n.terms, term)
		n.freqs = append(n.freqs, uint32(tf.Frequency()))
		n.nums = append(n.nums, num)
	}
	return n
}

// TestFallsBackToZap: a batch with a composite field (bleve's _all) is zap's
// to build, and comes out as zap builds it.
func TestFallsBackToZap(t *testing.T) {
	err := zapbuild.Verify(func() []index.Document {
		docs := documents(t, 20)
		d := docs[3].(*bdoc.Document)
		d.AddField(bdoc.NewCompositeField("_all", true, nil, nil))
		return docs
	})
	if err != nil {
		t.Fatal(err)
	}
}

// documents makes n documents of every kind of field kho's index holds:
// analyzed text, stored only, keywords with doc values (one with several
// values), dates, numbers, and fields with doc values unchunked and
// uncompressed. Some documents lack some fields, and a few words are in
// more than 1,024 documents, so postings and doc values span chunks.
func documents(t *testing.T, n int) []index.Document {
	t.Helper()
	text, err := registry.NewCache().AnalyzerNamed(standard.Name)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, uint64(n)))
	words := []string{"hà", "nội", "dân", "vận", "khéo", "đường", "the", "an", "ninh", "2024"}
	for i := range 3000 {
		words = append(words, fmt.Sprintf("w%dx", i))
	}
	word := func() string { return words[int(float64(len(words))*r.Float64()*r.Float64()*r.Float64())] }
	sentence := func(k int) string {
		var b strings.Builder
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(word())
		}
		return b.String()
	}
	const (
		stored    = index.StoreField
		indexed   = index.IndexField
		keyword   = index.IndexField | index.StoreField | index.DocValues
		facet     = index.IndexField | index.DocValues
		sequence  = index.IndexField | index.DocValues | index.SkipDVChunking | index.SkipDVCompression
		titleOpts = index.IndexField | index.StoreField
	)
	docs := make([]index.Document, n)
	for i := range docs {
		d := bdoc.NewDocument(fmt.Sprintf("doc-%05d", r.IntN(1_000_000)))
		d.AddIDField()
		d.AddField(bdoc.NewTextFieldCustom("title", nil, []byte(sentence(1+r.IntN(12))), titleOpts, text))
		if r.IntN(10) > 0 {
			body := sentence(r.IntN(300))
			d.AddField(bdoc.NewTextFieldWithIndexingOptions("body", nil, []byte(body), stored))
			d.AddField(bdoc.NewTextFieldCustom("text", nil, []byte(body), indexed, text))
		}
		d.AddField(bdoc.NewTextFieldWithIndexingOptions("source", nil, []byte(fmt.Sprintf("s%d.vn", r.IntN(6))), keyword))
		for k := range r.IntN(4) {
			d.AddField(bdoc.NewTextFieldWithIndexingOptions("tags", []uint64{uint64(k)}, []byte(word()), keyword))
		}
		if r.IntN(3) > 0 {
			when := time.Date(2000+r.IntN(25), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
			f, err := bdoc.NewDateTimeFieldWithIndexingOptions("published", nil, when, time.RFC3339, keyword)
			if err != nil {
				t.Fatal(err)
			}
			d.AddField(f)
			d.AddField(bdoc.NewTextFieldWithIndexingOptions("month", nil, []byte(when.Format("2006-01")), facet))
		}
		if r.IntN(2) == 0 {
			d.AddField(bdoc.NewNumericFieldWithIndexingOptions("views", nil, float64(r.IntN(1000)), keyword))
		}
		if r.IntN(4) == 0 {
			d.AddField(bdoc.NewTextFieldWithIndexingOptions("seq", nil, []byte{0xfe, byte(r.IntN(250)), byte(i)}, sequence))
		}
		d.VisitFields(func(f index.Field) {
			if f.Options().IsIndexed() { // as scorch does
				f.Analyze()
			}
		})
		docs[i] = d
	}
	return docs
}

// TestDeclaredFields: a segment lists every declared field with its
// declared options, the fields its documents lack too, so that zap merges
// it with any other such segment by copying.
func TestDeclaredFields(t *testing.T) {
	declared := map[string]index.FieldIndexingOptions{
		"title": index.IndexField | index.StoreField, "body": index.StoreField,
		"text": index.IndexField, "source": index.IndexField | index.StoreField | index.DocValues,
		"tags": index.IndexField | index.StoreField | index.DocValues, "absent": index.IndexField | index.DocValues,
	}
	docs := documents(t, 5)
	seg, _, err := (&zapbuild.Plugin{Fields: declared}).New(docs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := seg.(io.WriterTo).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	got := fieldOptions(buf.Bytes())
	for name, opts := range declared {
		if got[name] != opts {
			t.Errorf("field %q: options %b, declared %b", name, got[name], opts)
		}
	}
	for _, d := range docs {
		d.VisitFields(func(f index.Field) {
			if _, ok := got[f.Name()]; !ok {
				t.Errorf("field %q of the documents is missing: %v", f.Name(), got)
			}
		})
	}
	d, err := seg.Dictionary("absent")
	if err != nil {
		t.Fatal(err)
	}
	if it := d.AutomatonIterator(nil, nil, nil); it != nil {
		if e, _ := it.Next(); e != nil {
			t.Errorf("field absent from the documents has term %q", e.Term)
		}
	}
}

// fieldOptions reads the fields' options from a segment file's fields index.
func fieldOptions(file []byte) map[string]index.FieldIndexingOptions {
	const footer = 4 + 8 + 8 + 8 + 4 + 4 + 4
	at := binary.BigEndian.Uint64(file[len(file)-footer+4+8+8:])
	numFields, n := binary.Uvarint(file[at:])
	at += uint64(n)
	out := map[string]index.FieldIndexingOptions{}
	for range numFields {
		pos := binary.BigEndian.Uint64(file[at:])
		at += 8
		nameLen, n := binary.Uvarint(file[pos:])
		pos += uint64(n)
		name := string(file[pos : pos+nameLen])
		opts, _ := binary.Uvarint(file[pos+nameLen:])
		out[name] = index.FieldIndexingOptions(opts)
	}
	return out
}

// TestMergeSameBytesAsZap merges segments with zap's merge and with
// zapbuild's and requires the same file: batches of every size, the
// fields declared or not (zapbuild then leaves the merge to zap).
func TestMergeSameBytesAsZap(t *testing.T) {
	declared := map[string]index.FieldIndexingOptions{}
	for _, d := range documents(t, 200) {
		d.VisitFields(func(f index.Field) { declared[f.Name()] |= f.Options() })
	}
	delete(declared, "_id")
	for _, sizes := range [][]int{{1}, {5, 1, 300}, {1500, 1200, 40}, {2600, 2600}} {
		for _, fields := range []map[string]index.FieldIndexingOptions{declared, nil} {
			t.Run(fmt.Sprint(sizes, fields != nil), func(t *testing.T) {
				err := zapbuild.VerifyMerge(&zapbuild.Plugin{Fields: fields}, t.TempDir(), func() [][]index.Document {
					var batches [][]index.Document
					for _, n := range sizes {
						batches = append(batches, documents(t, n))
					}
					return batches
				})
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// A segment opened through the plugin (Open, or OpenUsing as scorch
// does) answers DocNumbers as zap does, for
// keys it holds, keys it does not, and a mix, though it asks zap only
// about the keys its filter may hold.
func TestDocNumbersAsZap(t *testing.T) {
	p := &zapbuild.Plugin{}
	docs := documents(t, 2600)
	sb, _, err := p.New(docs)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/seg.zap"
	if err := sb.(segment.UnpersistedSegment).Persist(path); err != nil {
		t.Fatal(err)
	}
	sb.Close()
	if seg, err := p.Open(path); err != nil {
		t.Fatal(err)
	} else if _, ok := seg.(*zapbuild.Segment); !ok {
		t.Errorf("Open gave a %T", seg)
	} else {
		seg.Close()
	}
	seg, err := p.OpenUsing(path, map[string]any{}) // how scorch opens segments
	if err != nil {
		t.Fatal(err)
	}
	defer seg.Close()
	if _, ok := seg.(*zapbuild.Segment); !ok {
		t.Fatalf("OpenUsing gave a %T", seg)
	}
	zapSeg := zapbuild.Unwrap(seg)
	var held, absent []string
	for _, d := range docs {
		held = append(held, d.ID())
	}
	for i := range 5000 {
		absent = append(absent, fmt.Sprintf("doc-%05d", 1_000_000+i), fmt.Sprintf("other:%d", i))
	}
	for name, ids := range map[string][]string{
		"held": held, "absent": absent, "mixed": append(append([]string{}, absent[:300]...), held[100:400]...),
		"one": held[7:8], "none": nil,
	} {
		got, err := seg.DocNumbers(ids)
		if err != nil {
			t.Fatal(err)
		}
		want, err := zapSeg.DocNumbers(ids)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equals(want) {
			t.Errorf("%s: DocNumbers gave %d documents, zap %d", name, got.GetCardinality(), want.GetCardinality())
		}
		if name == "held" && want.GetCardinality() == 0 {
			t.Error("zap found none of the segment's keys")
		}
	}
}
