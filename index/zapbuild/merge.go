package zapbuild

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
	zap "github.com/blevesearch/zapx/v17"
	"github.com/golang/snappy"
)

// Merge merges segments as zap does; see MergeUsing.
func (p *Plugin) Merge(segments []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter) ([][]uint64, uint64, error) {
	return p.MergeUsing(segments, drops, path, closeCh, s, nil)
}

// MergeUsing merges segment files that list the same fields with the same
// options and drop no document, a bulk load's, by copying: a term's
// frequencies and norms are moved as bytes, its bitmap built from the
// documents' new numbers at once. The file is zap's merge's, byte for byte
// (TestMergeSameBytesAsZap). Any other merge is zap's.
func (p *Plugin) MergeUsing(segments []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter, config map[string]any) ([][]uint64, uint64, error) {
	srcs, ok := openSources(segments, drops)
	if !ok {
		return p.zapMerge(segments, drops, path, closeCh, s, config)
	}
	defer closeSources(srcs)
	stats, _ := config[segment.StatsKey].(*segment.Stats)
	if stats == nil {
		stats = new(segment.Stats)
	}
	atomic.AddUint64(&stats.TotMergesBeg, 1)
	defer atomic.AddUint64(&stats.TotMergesEnd, 1)
	atomic.AddUint64(&stats.TotMergeInputSegments, uint64(len(srcs)))
	newDocNums, size, err := mergeFiles(srcs, path, closeCh)
	if err != nil {
		atomic.AddUint64(&stats.TotMergesErrors, 1)
		return nil, 0, err
	}
	var docs uint64
	for _, src := range srcs {
		docs += src.numDocs
	}
	atomic.AddUint64(&stats.TotMergeOutputDocs, docs)
	if s != nil {
		s.ReportBytesWritten(size)
	}
	return newDocNums, size, nil
}

// source is a segment file, mapped into memory, and what a merge reads of it.
type source struct {
	mem         []byte
	numDocs     uint64
	storedIndex uint64
	fields      []string
	opts        []index.FieldIndexingOptions
	records     []fieldRecord
	unmap       func() error
	dicts       []*vellum.FST // by field, nil when empty
}

// fieldRecord is where a field's doc values and dictionary are.
type fieldRecord struct {
	dvStart, dvEnd, dict uint64
}

// zapMerge is zap's merge of the segments, which takes zap's own segment
// types only.
func (p *Plugin) zapMerge(segments []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter, config map[string]any) ([][]uint64, uint64, error) {
	zapSegments := make([]segment.Segment, len(segments))
	for i, sg := range segments {
		zapSegments[i] = Unwrap(sg)
	}
	return p.ZapPlugin.MergeUsing(zapSegments, drops, path, closeCh, s, config)
}

// openSources maps the segments' files and checks that this merge can
// take them; it returns false when zap's must.
func openSources(segments []segment.Segment, drops []*roaring.Bitmap) ([]*source, bool) {
	for _, d := range drops {
		if d != nil && !d.IsEmpty() {
			return nil, false
		}
	}
	srcs := make([]*source, 0, len(segments))
	for _, sg := range segments {
		zs, ok := Unwrap(sg).(*zap.Segment)
		if !ok {
			closeSources(srcs)
			return nil, false
		}
		src, err := openSource(zs.Path())
		if err != nil || (len(srcs) > 0 && !sameFields(srcs[0], src)) {
			if src != nil {
				src.close()
			}
			closeSources(srcs)
			return nil, false
		}
		srcs = append(srcs, src)
	}
	if len(srcs) == 0 {
		return nil, false
	}
	return srcs, true
}

func closeSources(srcs []*source) {
	for _, s := range srcs {
		s.close()
	}
}

func (s *source) close() {
	if s.unmap != nil {
		s.unmap()
	}
}

func sameFields(a, b *source) bool {
	if len(a.fields) != len(b.fields) {
		return false
	}
	for i := range a.fields {
		if a.fields[i] != b.fields[i] || a.opts[i] != b.opts[i] {
			return false
		}
	}
	return true
}

var errUnsupported = errors.New("zapbuild: segment needs zap's merge")

// openSource maps a segment file and reads its footer, fields and term
// dictionaries.
func openSource(path string) (*source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() < footerSize {
		return nil, errUnsupported
	}
	mem, unmap, err := mapFile(f, int(fi.Size()))
	if err != nil {
		return nil, err
	}
	s := &source{mem: mem, unmap: unmap}
	if err := s.load(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *source) load() error {
	foot := readFooter(s.mem)
	if foot.idLen != 0 || // a writer id: callbacks may change the bytes
		foot.chunkMode != zap.DefaultChunkMode || foot.version != zap.Version || foot.numDocs == 0 {
		return errUnsupported
	}
	s.numDocs, s.storedIndex = foot.numDocs, foot.storedIndex
	if edges, _ := binary.Uvarint(s.mem[s.storedIndex+8*s.numDocs:]); edges != 0 {
		return errUnsupported // nested documents
	}
	for _, f := range readFields(s.mem, foot.fieldsIndex) {
		if f.opts.IncludeTermVectors() || f.opts.SkipDVChunking() && !f.opts.SkipDVCompression() {
			return errUnsupported // locations; doc values zap reads by another rule
		}
		s.fields = append(s.fields, f.name)
		s.opts = append(s.opts, f.opts)
		var rec fieldRecord
		for p := f.pairs; len(p) > 0; p = p[sectionPairSize:] {
			typ, addr := binary.BigEndian.Uint16(p), binary.BigEndian.Uint64(p[2:])
			switch {
			case typ == zap.SectionInvertedTextIndex && addr > 0:
				var n int
				r := s.mem[addr:]
				rec.dvStart, n = binary.Uvarint(r)
				r = r[n:]
				rec.dvEnd, n = binary.Uvarint(r)
				r = r[n:]
				rec.dict, _ = binary.Uvarint(r)
			case addr != 0:
				return errUnsupported // another section has data
			}
		}
		s.records = append(s.records, rec)
		var dict *vellum.FST
		if rec.dict > 0 {
			l, n := binary.Uvarint(s.mem[rec.dict:])
			start := rec.dict + uint64(n)
			fst, err := vellum.Load(s.mem[start : start+l])
			if err != nil {
				return err
			}
			dict = fst
		}
		s.dicts = append(s.dicts, dict)
	}
	return nil
}

// countWriter writes the merged file, counting its bytes and their
// checksum as zap's writer does.
type countWriter struct {
	w   *bufio.Writer
	n   uint64
	crc uint32
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p)
	c.n += uint64(len(p))
	return c.w.Write(p)
}

func mergeFiles(srcs []*source, path string, closeCh chan struct{}) ([][]uint64, uint64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, 0, err
	}
	fail := func(err error) ([][]uint64, uint64, error) {
		f.Close()
		os.Remove(path)
		return nil, 0, err
	}
	w := &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	m := &merger{srcs: srcs, w: w, closeCh: closeCh}
	newDocNums, err := m.run()
	if err != nil {
		return fail(err)
	}
	if err := w.w.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, 0, err
	}
	return newDocNums, w.n, nil
}

// merger is one merge's state.
type merger struct {
	srcs    []*source
	w       *countWriter
	closeCh chan struct{}
	base    []uint64 // each source's first document's new number
	numDocs uint64

	encoders
	batches []*termBatch // the term batches of terms, kept from field to field
	out     []byte       // what is about to be written
	entries []dvMeta     // a doc values chunk's documents
	plain   []byte       // a doc values chunk, decompressed
}

// write writes m.out.
func (m *merger) write() error {
	_, err := m.w.Write(m.out)
	return err
}

func (m *merger) closed() bool {
	select {
	case <-m.closeCh:
		return true
	default:
		return false
	}
}

func (m *merger) run() ([][]uint64, error) {
	newDocNums := make([][]uint64, len(m.srcs))
	for i, s := range m.srcs {
		m.base = append(m.base, m.numDocs)
		nums := make([]uint64, s.numDocs)
		for d := range nums {
			nums[d] = m.numDocs + uint64(d)
		}
		newDocNums[i] = nums
		m.numDocs += s.numDocs
	}
	storedIndex, err := m.stored()
	if err != nil {
		return nil, err
	}
	m.release()
	if err := m.startDictionary(); err != nil {
		return nil, err
	}
	s0 := m.srcs[0]
	addrs := make([]uint64, len(s0.fields))
	for fid := range s0.fields {
		if m.closed() {
			return nil, segment.ErrClosed
		}
		if addrs[fid], err = m.field(fid); err != nil {
			return nil, fmt.Errorf("merge field %q: %w", s0.fields[fid], err)
		}
		m.release()
	}
	var fieldsIndex uint64
	m.out, fieldsIndex = appendFieldsIndex(m.out[:0], m.w.n, s0.fields, s0.opts, addrs)
	m.out = appendFooter(m.out, m.numDocs, storedIndex, fieldsIndex)
	if err := m.write(); err != nil {
		return nil, err
	}
	m.out = binary.BigEndian.AppendUint32(m.out[:0], m.w.crc) // of everything before it
	return newDocNums, m.write()
}

// release drops the pages the merge has read from its mappings of the
// sources: zap maps the same files, and a page mapped twice counts twice in
// the process's resident memory (+150 MB at the corpus's final merge). The
// pages stay in the page cache; what is read again is mapped again.
func (m *merger) release() {
	for _, s := range m.srcs {
		dropPages(s.mem)
	}
}

// stored copies each source's stored documents as they are and writes the
// index of where each begins, shifted.
func (m *merger) stored() (uint64, error) {
	offsets := make([]uint64, 0, m.numDocs)
	for _, s := range m.srcs {
		first := binary.BigEndian.Uint64(s.mem[s.storedIndex:])
		at := m.w.n
		if _, err := m.w.Write(s.mem[first:s.storedIndex]); err != nil {
			return 0, err
		}
		for d := range s.numDocs {
			off := binary.BigEndian.Uint64(s.mem[s.storedIndex+8*d:])
			offsets = append(offsets, off-first+at)
		}
	}
	storedIndex := m.w.n
	m.out = m.out[:0]
	for _, o := range offsets {
		m.out = binary.BigEndian.AppendUint64(m.out, o)
	}
	m.out = binary.AppendUvarint(m.out, 0) // no nested documents
	return storedIndex, m.write()
}

// cursor walks one source's dictionary of the field being merged.
type cursor struct {
	src  int
	it   vellum.Iterator
	term []byte
	val  uint64 // the term's postings record, or its one posting (1-hit)

	bitmap []byte // the record's documents, serialized
	card   uint64 // how many
	freqs  []byte // and their frequencies and norms, all chunks in a row
}

func (c *cursor) oneHit() bool { return c.val&zap.FSTValEncoding1Hit != 0 }

// postings reads the postings record the cursor's term points at.
func (c *cursor) postings(s *source) error {
	r := s.mem[c.val:]
	tfOffset, n1 := binary.Uvarint(r)
	loc, n2 := binary.Uvarint(r[n1:])
	if loc != noLocations {
		return errUnsupported
	}
	l, n3 := binary.Uvarint(r[n1+n2:])
	start := n1 + n2 + n3
	c.bitmap = r[start : start+int(l)]
	var err error
	if c.card, err = bitmapCardinality(c.bitmap); err != nil {
		return err
	}
	tf := s.mem[tfOffset:]
	numChunks, pos := binary.Uvarint(tf)
	var end uint64
	for range numChunks {
		v, n := binary.Uvarint(tf[pos:])
		pos += n
		end = v
	}
	c.freqs = tf[pos : pos+int(end)]
	return nil
}

// field merges one field's dictionaries, postings and doc values and
// returns the address of its record.
func (m *merger) field(fid int) (uint64, error) {
	opts := m.srcs[0].opts[fid]
	var cursors []*cursor
	if opts.IsIndexed() {
		for i, s := range m.srcs {
			if s.dicts[fid] == nil {
				continue
			}
			it, err := s.dicts[fid].Iterator(nil, nil)
			if err == vellum.ErrIteratorDone {
				continue
			}
			if err != nil {
				return 0, err
			}
			term, val := it.Current()
			cursors = append(cursors, &cursor{src: i, it: it, term: term, val: val})
		}
	}
	inFocus := make([]int, len(cursors))
	for i, c := range cursors {
		inFocus[i] = c.src
	}
	if err := m.terms(cursors); err != nil {
		return 0, err
	}
	dictOffset := m.w.n
	var err error
	if m.out, err = m.appendDictionary(m.out[:0]); err != nil {
		return 0, err
	}
	if err := m.write(); err != nil {
		return 0, err
	}
	dvStart, dvEnd, err := m.docValues(fid, opts, inFocus)
	if err != nil {
		return 0, err
	}
	addr := m.w.n
	m.out = appendFieldRecord(m.out[:0], dvStart, dvEnd, dictOffset)
	return addr, m.write()
}

// freqHasLocs1Hit is a 1-hit posting's frequency, 1, without locations.
const freqHasLocs1Hit = 1 << 1

// Merging a field's terms takes three goroutines: one walks the sources'
// dictionaries and finds each term's postings records (gather), one reads
// and renumbers them (decodeTerm), and one encodes them, writes them and
// builds the dictionary (writeTerm). A bulk load's last merge, of every
// article into one segment, ran on one core while the other had nothing
// to do; with two stages, the first of them was busy and the second half
// idle (final merge at 1 M: gather 62 CPU-seconds, of which decoding 30;
// writing 25). Terms go from stage to stage in batches, so the stages
// rarely wait on each other.
const (
	batchTerms = 256     // terms in a batch at most
	batchBytes = 1 << 20 // and bytes of their postings, about
	batches    = 4       // batches on their way, besides the two being filled and written
)

// termBatch is terms gathered, on their way to be written.
type termBatch struct {
	terms []termResult
	n     int
	bytes int
}

// termResult is one term's merged postings.
type termResult struct {
	term   []byte
	parts  []part // the sources' postings of it, in source order
	card   uint64 // how many in all
	freqs  int    // bytes of their frequencies and norms, in the records
	tf     tfEncoder
	docs   []uint32
	skip   bool // no postings
	hit    bool // one posting, in the dictionary as hitVal (zap's 1-hit encoding)
	hitVal uint64
}

// next returns the batch's next result, to fill.
func (b *termBatch) next() *termResult {
	if b.n == len(b.terms) {
		b.terms = append(b.terms, termResult{})
	}
	b.n++
	return &b.terms[b.n-1]
}

// part is one source's postings of a term: a postings record, or the one
// posting a dictionary holds (zap's 1-hit encoding). The slices are the
// source's mapped bytes.
type part struct {
	base   uint64 // the source's first document's new number
	oneHit bool
	val    uint64 // the 1-hit posting
	bitmap []byte // or the record's documents, serialized
	freqs  []byte // and their frequencies and norms
}

// maxKept bounds the buffers a result keeps for the next term: a common
// term's postings run to megabytes.
const maxKept = 1 << 20

func (r *termResult) shrink() {
	if cap(r.tf.data) > maxKept {
		r.tf.data = nil
	}
	if cap(r.docs) > maxKept/4 {
		r.docs = nil
	}
}

// terms merges the terms the cursors walk into postings and the field's
// dictionary.
func (m *merger) terms(cursors []*cursor) error {
	if m.batches == nil {
		for range batches + 3 {
			m.batches = append(m.batches, &termBatch{})
		}
	}
	gathered := make(chan *termBatch, batches/2)
	full := make(chan *termBatch, batches/2)
	free := make(chan *termBatch, len(m.batches))
	for _, b := range m.batches {
		free <- b
	}
	quit := make(chan struct{})
	var stopOnce sync.Once
	stop := func() { stopOnce.Do(func() { close(quit) }) }
	var gatherErr, decodeErr error
	go func() {
		defer close(gathered)
		gatherErr = m.gather(cursors, gathered, free, quit)
	}()
	go func() {
		defer close(full)
		for b := range gathered {
			for i := range b.n {
				if decodeErr == nil {
					if decodeErr = m.decodeTerm(&b.terms[i]); decodeErr != nil {
						stop()
					}
				}
			}
			if decodeErr != nil {
				free <- b // free holds every batch; this send never waits
				continue
			}
			full <- b
		}
	}()
	var err error
	for b := range full {
		for i := range b.n {
			if err == nil {
				if err = m.writeTerm(&b.terms[i]); err != nil {
					stop()
				}
			}
			b.terms[i].shrink()
		}
		free <- b
	}
	switch {
	case err != nil:
		return err
	case decodeErr != nil: // close(full) came after it was set
		return decodeErr
	}
	return gatherErr // and close(gathered) after this
}

// gather walks the cursors' dictionaries side by side and sends each term's
// postings records to be decoded, in batches, until the cursors are done or
// quit is closed.
func (m *merger) gather(cursors []*cursor, full chan<- *termBatch, free <-chan *termBatch, quit <-chan struct{}) error {
	b := <-free
	b.n, b.bytes = 0, 0
	send := func() bool {
		select {
		case full <- b:
		case <-quit:
			return false
		}
		select {
		case b = <-free:
		case <-quit:
			return false
		}
		b.n, b.bytes = 0, 0
		return true
	}
	var term, least []byte
	var same []*cursor
	for len(cursors) > 0 {
		if m.closed() {
			return segment.ErrClosed
		}
		// the least term, and the cursors at it, in source order
		same = same[:0]
		for _, c := range cursors {
			switch cmp := bytes.Compare(c.term, term); {
			case len(same) == 0 || cmp < 0:
				same = append(same[:0], c)
				term = c.term
			case cmp == 0:
				same = append(same, c)
			}
		}
		least = append(least[:0], term...)
		term = least
		r := b.next()
		if err := m.gatherTerm(r, term, same); err != nil {
			return err
		}
		b.bytes += 4*int(r.card) + r.freqs // about what the postings take decoded
		if (b.n == batchTerms || b.bytes >= batchBytes) && !send() {
			return nil
		}
		live := cursors[:0]
		for _, c := range cursors {
			if bytes.Equal(c.term, term) {
				if err := c.it.Next(); err != nil {
					if err == vellum.ErrIteratorDone {
						continue
					}
					return err
				}
				c.term, c.val = c.it.Current()
			}
			live = append(live, c)
		}
		cursors = live
	}
	if b.n > 0 {
		send()
	}
	return nil
}

// gatherTerm finds one term's postings in the cursors at it, each source's
// record read once, for r.
func (m *merger) gatherTerm(r *termResult, term []byte, at []*cursor) error {
	r.term = append(r.term[:0], term...)
	r.parts, r.card, r.freqs = r.parts[:0], 0, 0
	for _, c := range at {
		p := part{base: m.base[c.src]}
		if c.oneHit() {
			p.oneHit, p.val = true, c.val
			r.card++
		} else {
			if err := c.postings(m.srcs[c.src]); err != nil {
				return err
			}
			p.bitmap, p.freqs = c.bitmap, c.freqs
			r.card += c.card
			r.freqs += len(c.freqs)
		}
		r.parts = append(r.parts, p)
	}
	return nil
}

// decodeTerm renumbers r's postings and gathers their frequencies and
// norms, chunked as the merged segment's.
func (m *merger) decodeTerm(r *termResult) error {
	r.skip, r.hit = false, false
	if r.card == 0 {
		r.skip = true
		return nil
	}
	r.tf.reset(chunkSize(r.card, m.numDocs), m.numDocs-1)
	// Sized at once: the buffers pass from term to term, and a common
	// term's grew by doubling from a rare one's.
	r.docs = slices.Grow(r.docs[:0], int(r.card))
	r.tf.data = slices.Grow(r.tf.data, r.freqs+len(r.parts)*2*binary.MaxVarintLen64) // a 1-hit's two varints
	var one [2 * binary.MaxVarintLen64]byte
	for _, p := range r.parts {
		if p.oneHit {
			doc, norm := zap.FSTValDecode1Hit(p.val)
			n := binary.PutUvarint(one[:], freqHasLocs1Hit)
			n += binary.PutUvarint(one[n:], norm)
			r.tf.addBytes(p.base+doc, one[:n])
			r.docs = append(r.docs, uint32(p.base+doc))
			continue
		}
		from := len(r.docs)
		var err error
		if r.docs, err = appendBitmapDocs(r.docs, p.bitmap, uint32(p.base)); err != nil {
			return fmt.Errorf("term %q: %w", r.term, err)
		}
		if err := moveFreqs(&r.tf, r.docs[from:], p.freqs); err != nil {
			return fmt.Errorf("term %q: %w", r.term, err)
		}
	}
	if last := uint64(r.docs[len(r.docs)-1]); r.card == 1 && last <= 0x7fffffff {
		// the one posting's bytes are all the encoder has
		v, n := binary.Uvarint(r.tf.data)
		if v>>1 == 1 { // a frequency of one
			norm, _ := binary.Uvarint(r.tf.data[n:])
			r.hit, r.hitVal = true, zap.FSTValEncode1Hit(last, norm)
		}
	}
	return nil
}

// writeTerm writes a term's postings, unless the dictionary holds its one
// posting, and adds the term to the dictionary.
func (m *merger) writeTerm(r *termResult) error {
	switch {
	case r.skip:
		return nil
	case r.hit:
		return m.fst.Insert(r.term, r.hitVal)
	}
	m.tf, r.tf = r.tf, m.tf // the encoders write what the result holds
	m.docs, r.docs = r.docs, m.docs
	var offset uint64
	m.out, offset = m.appendPostings(m.out[:0], m.w.n)
	if err := m.write(); err != nil {
		return err
	}
	return m.fst.Insert(r.term, offset)
}

// moveFreqs hands tf the frequencies and norms of a source's postings of a
// term, whose documents' new numbers are docs, as they are encoded: the
// postings that fall in one of the new chunks at once.
func moveFreqs(tf *tfEncoder, docs []uint32, data []byte) error {
	chunk, pos := tf.chunk, 0
	for k := 0; k < len(docs); {
		c, start := uint64(docs[k])/chunk, pos
		j := k
		for ; j < len(docs) && uint64(docs[j])/chunk == c; j++ {
			// A frequency's varint has zap's has-locations bit below it;
			// a norm follows when the frequency is not zero, which one
			// byte under 2 is.
			if pos >= len(data) {
				return errFreqsShort
			}
			withNorm := data[pos] >= 2
			if pos = skipUvarint(data, pos); withNorm {
				pos = skipUvarint(data, pos)
			}
		}
		if pos > len(data) {
			return errFreqsShort
		}
		tf.addBytes(uint64(docs[k]), data[start:pos])
		k = j
	}
	return nil
}

var errFreqsShort = errors.New("frequencies and norms end early")

// skipUvarint returns where the varint at pos in data ends, past len(data)
// when it does not.
func skipUvarint(data []byte, pos int) int {
	for pos < len(data) && data[pos]&0x80 != 0 {
		pos++
	}
	return pos + 1
}

// docValues merges the field's doc values of the sources whose dictionary
// has terms (as zap does), document by document, and returns where they
// begin and end, or noDocValues twice when no source had any.
func (m *merger) docValues(fid int, opts index.FieldIndexingOptions, inFocus []int) (uint64, uint64, error) {
	start := m.w.n
	if !opts.IncludeDocValues() {
		return noDocValues, noDocValues, nil
	}
	m.dv.reset(opts, m.numDocs, m.w)
	any := false
	for _, si := range inFocus {
		s := m.srcs[si]
		rec := s.records[fid]
		if rec.dvStart == noDocValues {
			continue
		}
		if rec.dvEnd-rec.dvStart <= 16 {
			return 0, 0, fmt.Errorf("doc values of %d bytes", rec.dvEnd-rec.dvStart)
		}
		any = true
		numChunks := binary.BigEndian.Uint64(s.mem[rec.dvEnd-8:])
		offsetsLen := binary.BigEndian.Uint64(s.mem[rec.dvEnd-16:])
		offs := s.mem[rec.dvEnd-16-offsetsLen : rec.dvEnd-16]
		var prev uint64
		for i := range numChunks {
			end, n := binary.Uvarint(offs)
			offs = offs[n:]
			begin := prev
			prev = end
			if begin >= end {
				continue
			}
			data := s.mem[rec.dvStart+begin : rec.dvStart+end]
			if opts.SkipDVChunking() { // one document a chunk, not compressed (load)
				m.dv.add(m.base[si]+i, data)
				continue
			}
			count, n := binary.Uvarint(data)
			meta := data[n:]
			m.entries = m.entries[:0]
			for range count {
				d, n1 := binary.Uvarint(meta)
				e, n2 := binary.Uvarint(meta[n1:])
				meta = meta[n1+n2:]
				m.entries = append(m.entries, dvMeta{doc: d, end: e})
			}
			payload := meta
			if !opts.SkipDVCompression() {
				var err error
				if m.plain, err = snappy.Decode(m.plain[:cap(m.plain)], payload); err != nil {
					return 0, 0, err
				}
				payload = m.plain
			}
			var from uint64
			for _, e := range m.entries {
				m.dv.add(m.base[si]+e.doc, payload[from:e.end])
				from = e.end
			}
		}
	}
	if !any {
		return noDocValues, noDocValues, nil
	}
	if err := m.dv.finish(); err != nil {
		return 0, 0, err
	}
	m.out = m.dv.appendTrailer(m.out[:0])
	if err := m.write(); err != nil {
		return 0, 0, err
	}
	return start, m.w.n, nil
}
