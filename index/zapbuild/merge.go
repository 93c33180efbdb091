package zapbuild

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
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
		return p.ZapPlugin.MergeUsing(segments, drops, path, closeCh, s, config)
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
		zs, ok := sg.(*zap.Segment)
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

// footerSize is zap's footer without a writer id: the id's length, the
// number of documents, the stored and fields indexes, the chunk mode, the
// version and the checksum.
const footerSize = 4 + 8 + 8 + 8 + 4 + 4 + 4

func (s *source) load() error {
	foot := s.mem[len(s.mem)-footerSize:]
	if binary.BigEndian.Uint32(foot[0:]) != 0 || // a writer id: callbacks may change the bytes
		binary.BigEndian.Uint32(foot[28:]) != zap.DefaultChunkMode ||
		binary.BigEndian.Uint32(foot[32:]) != zap.Version {
		return errUnsupported
	}
	s.numDocs = binary.BigEndian.Uint64(foot[4:])
	s.storedIndex = binary.BigEndian.Uint64(foot[12:])
	fieldsIndex := binary.BigEndian.Uint64(foot[20:])
	if s.numDocs == 0 {
		return errUnsupported
	}
	if edges, _ := binary.Uvarint(s.mem[s.storedIndex+8*s.numDocs:]); edges != 0 {
		return errUnsupported // nested documents
	}
	numFields, n := binary.Uvarint(s.mem[fieldsIndex:])
	at := fieldsIndex + uint64(n)
	for range numFields {
		pos := binary.BigEndian.Uint64(s.mem[at:])
		at += 8
		nameLen, n := binary.Uvarint(s.mem[pos:])
		pos += uint64(n)
		s.fields = append(s.fields, string(s.mem[pos:pos+nameLen]))
		pos += nameLen
		opts, n := binary.Uvarint(s.mem[pos:])
		pos += uint64(n)
		o := index.FieldIndexingOptions(opts)
		if o.IncludeTermVectors() || o.SkipDVChunking() && !o.SkipDVCompression() {
			return errUnsupported // locations; doc values zap reads by another rule
		}
		s.opts = append(s.opts, o)
		count, n := binary.Uvarint(s.mem[pos:])
		pos += uint64(n)
		var rec fieldRecord
		for range count {
			typ := binary.BigEndian.Uint16(s.mem[pos:])
			addr := binary.BigEndian.Uint64(s.mem[pos+2:])
			pos += 10
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

func (c *countWriter) uvarint(v uint64) error {
	var b [binary.MaxVarintLen64]byte
	_, err := c.Write(b[:binary.PutUvarint(b[:], v)])
	return err
}

func (c *countWriter) u64(v uint64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	_, err := c.Write(b[:])
	return err
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
	src  *roaring.Bitmap
	buf  []byte // the term being merged
	buf2 []byte // encoded frequencies, doc values
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
	var err2 error
	if m.fst, err2 = vellum.New(&m.fstBuf, vellumOptions); err2 != nil {
		return nil, err2
	}
	m.bitmap, m.src = roaring.New(), roaring.New()
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
	fieldsIndex, err := m.fieldsIndex(addrs)
	if err != nil {
		return nil, err
	}
	return newDocNums, m.footer(storedIndex, fieldsIndex)
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
	for _, o := range offsets {
		if err := m.w.u64(o); err != nil {
			return 0, err
		}
	}
	return storedIndex, m.w.uvarint(0) // no nested documents
}

// cursor walks one source's dictionary of the field being merged.
type cursor struct {
	src  int
	it   vellum.Iterator
	term []byte
	val  uint64
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
	var term []byte
	var same []*cursor
	for len(cursors) > 0 {
		if m.closed() {
			return 0, segment.ErrClosed
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
		term = append(m.buf[:0], term...)
		m.buf = term
		if err := m.term(term, same); err != nil {
			return 0, err
		}
		live := cursors[:0]
		for _, c := range cursors {
			if bytes.Equal(c.term, term) {
				if err := c.it.Next(); err != nil {
					if err == vellum.ErrIteratorDone {
						continue
					}
					return 0, err
				}
				c.term, c.val = c.it.Current()
			}
			live = append(live, c)
		}
		cursors = live
	}
	if err := m.fst.Close(); err != nil {
		return 0, err
	}
	dictOffset := m.w.n
	if err := m.w.uvarint(uint64(m.fstBuf.Len())); err != nil {
		return 0, err
	}
	if _, err := m.w.Write(m.fstBuf.Bytes()); err != nil {
		return 0, err
	}
	m.fstBuf.Reset()
	if err := m.fst.Reset(&m.fstBuf); err != nil {
		return 0, err
	}
	dvStart, dvEnd, err := m.docValues(fid, opts, inFocus)
	if err != nil {
		return 0, err
	}
	addr := m.w.n
	for _, v := range []uint64{dvStart, dvEnd, dictOffset} {
		if err := m.w.uvarint(v); err != nil {
			return 0, err
		}
	}
	return addr, nil
}

// freqHasLocs1Hit is a 1-hit posting's frequency, 1, without locations.
const freqHasLocs1Hit = 1 << 1

// term merges one term's postings from the cursors at it.
func (m *merger) term(term []byte, at []*cursor) error {
	var card uint64
	for _, c := range at {
		if c.val&zap.FSTValEncoding1Hit != 0 {
			card++
			continue
		}
		if err := m.postingsAt(c); err != nil {
			return err
		}
		card += m.src.GetCardinality()
	}
	m.tf.reset(chunkSize(card, m.numDocs), m.numDocs-1)
	m.docs = m.docs[:0]
	var lastFreq, lastNorm uint64
	var one [2 * binary.MaxVarintLen64]byte
	for _, c := range at {
		base := m.base[c.src]
		if c.val&zap.FSTValEncoding1Hit != 0 {
			doc, norm := zap.FSTValDecode1Hit(c.val)
			n := binary.PutUvarint(one[:], freqHasLocs1Hit)
			n += binary.PutUvarint(one[n:], norm)
			m.tf.addBytes(base+doc, one[:n])
			m.docs = append(m.docs, uint32(base+doc))
			lastFreq, lastNorm = 1, norm
			continue
		}
		data, err := m.postingsData(c)
		if err != nil {
			return err
		}
		it := m.src.Iterator()
		pos := 0
		for it.HasNext() {
			doc := uint64(it.Next())
			start := pos
			v, n := binary.Uvarint(data[pos:])
			if n <= 0 {
				return fmt.Errorf("term %q: frequencies end early", term)
			}
			pos += n
			lastFreq, lastNorm = v>>1, 0
			if lastFreq > 0 {
				if lastNorm, n = binary.Uvarint(data[pos:]); n <= 0 {
					return fmt.Errorf("term %q: norms end early", term)
				}
				pos += n
			}
			m.tf.addBytes(base+doc, data[start:pos])
			m.docs = append(m.docs, uint32(base+doc))
		}
	}
	if card == 0 {
		return nil
	}
	if last := uint64(m.docs[len(m.docs)-1]); card == 1 && last <= 0x7fffffff && lastFreq == 1 {
		return m.fst.Insert(term, zap.FSTValEncode1Hit(last, lastNorm))
	}
	tfOffset := m.w.n
	m.buf2 = m.tf.write(m.buf2[:0])
	if _, err := m.w.Write(m.buf2); err != nil {
		return err
	}
	offset := m.w.n
	if err := m.w.uvarint(tfOffset); err != nil {
		return err
	}
	if err := m.w.uvarint(noLocations); err != nil {
		return err
	}
	m.bitmap.Clear()
	m.bitmap.AddMany(m.docs)
	b, err := m.bitmap.ToBytes()
	if err != nil {
		return err
	}
	if err := m.w.uvarint(uint64(len(b))); err != nil {
		return err
	}
	if _, err := m.w.Write(b); err != nil {
		return err
	}
	return m.fst.Insert(term, offset)
}

// postingsAt reads the bitmap of the postings record c points at into m.src.
func (m *merger) postingsAt(c *cursor) error {
	s := m.srcs[c.src]
	r := s.mem[c.val:]
	_, n1 := binary.Uvarint(r) // frequencies' offset
	loc, n2 := binary.Uvarint(r[n1:])
	if loc != noLocations {
		return errUnsupported
	}
	l, n3 := binary.Uvarint(r[n1+n2:])
	start := n1 + n2 + n3
	m.src.Clear()
	if _, err := m.src.FromBuffer(r[start : start+int(l)]); err != nil {
		return err
	}
	return nil
}

// postingsData reads the postings record c points at: its bitmap into
// m.src, and returns its frequencies and norms, all chunks in a row.
func (m *merger) postingsData(c *cursor) ([]byte, error) {
	if err := m.postingsAt(c); err != nil {
		return nil, err
	}
	s := m.srcs[c.src]
	tfOffset, _ := binary.Uvarint(s.mem[c.val:])
	r := s.mem[tfOffset:]
	numChunks, n := binary.Uvarint(r)
	pos := n
	var end uint64
	for range numChunks {
		v, n := binary.Uvarint(r[pos:])
		pos += n
		end = v
	}
	return r[pos : pos+int(end)], nil
}

// docValues merges the field's doc values of the sources whose dictionary
// has terms (as zap does), document by document, and returns where they
// begin and end, or noDocValues twice when no source had any.
func (m *merger) docValues(fid int, opts index.FieldIndexingOptions, inFocus []int) (uint64, uint64, error) {
	start := m.w.n
	if !opts.IncludeDocValues() {
		return noDocValues, noDocValues, nil
	}
	chunk := uint64(legacyChunk)
	if opts.SkipDVChunking() {
		chunk = 1
	}
	m.dv.reset(chunk, m.numDocs-1, opts.SkipDVCompression())
	any := false
	var plain []byte
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
			type entry struct{ doc, end uint64 }
			entries := make([]entry, count)
			for j := range entries {
				d, n1 := binary.Uvarint(meta)
				e, n2 := binary.Uvarint(meta[n1:])
				meta = meta[n1+n2:]
				entries[j] = entry{d, e}
			}
			payload := meta
			if !opts.SkipDVCompression() {
				var err error
				if plain, err = snappy.Decode(plain[:cap(plain)], payload); err != nil {
					return 0, 0, err
				}
				payload = plain
			}
			var from uint64
			for _, e := range entries {
				m.dv.add(m.base[si]+e.doc, payload[from:e.end])
				from = e.end
			}
		}
	}
	if !any {
		return noDocValues, noDocValues, nil
	}
	m.buf2 = m.dv.write(m.buf2[:0])
	if _, err := m.w.Write(m.buf2); err != nil {
		return 0, 0, err
	}
	return start, m.w.n, nil
}

// fieldsIndex writes each field's name, options and sections, then the
// index of those records, and returns the index's offset.
func (m *merger) fieldsIndex(addrs []uint64) (uint64, error) {
	s0 := m.srcs[0]
	at := make([]uint64, len(s0.fields))
	var buf []byte
	for i, name := range s0.fields {
		at[i] = m.w.n + uint64(len(buf))
		buf = binary.AppendUvarint(buf, uint64(len(name)))
		buf = append(buf, name...)
		buf = binary.AppendUvarint(buf, uint64(s0.opts[i]))
		buf = binary.AppendUvarint(buf, uint64(len(sections)))
		for _, s := range sections {
			addr := uint64(0)
			if s == zap.SectionInvertedTextIndex {
				addr = addrs[i]
			}
			buf = binary.BigEndian.AppendUint16(buf, s)
			buf = binary.BigEndian.AppendUint64(buf, addr)
		}
	}
	index := m.w.n + uint64(len(buf))
	buf = binary.AppendUvarint(buf, uint64(len(s0.fields)))
	for _, a := range at {
		buf = binary.BigEndian.AppendUint64(buf, a)
	}
	_, err := m.w.Write(buf)
	return index, err
}

// footer writes zap's footer: no writer id, the counts and offsets, the
// chunk mode, the version and the checksum of everything before it.
func (m *merger) footer(storedIndex, fieldsIndex uint64) error {
	var b []byte
	b = binary.BigEndian.AppendUint32(b, 0)
	b = binary.BigEndian.AppendUint64(b, m.numDocs)
	b = binary.BigEndian.AppendUint64(b, storedIndex)
	b = binary.BigEndian.AppendUint64(b, fieldsIndex)
	b = binary.BigEndian.AppendUint32(b, zap.DefaultChunkMode)
	b = binary.BigEndian.AppendUint32(b, zap.Version)
	if _, err := m.w.Write(b); err != nil {
		return err
	}
	var crc [4]byte
	binary.BigEndian.PutUint32(crc[:], m.w.crc)
	_, err := m.w.Write(crc[:])
	return err
}
