package zapbuild

import (
	"bytes"
	"encoding/binary"
	"fmt"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum"
	zap "github.com/blevesearch/zapx/v17"
)

// The parts of zap v17's layout that the builder and the merge both write
// or read.

// zap's choices, which its readers rely on.
const (
	legacyChunk     = 1024 // doc values are chunked by 1024 documents
	noDocValues     = ^uint64(0)
	noLocations     = 0
	dvTermSeparator = index.DocValueTermSeparator
)

// vellumOptions are zap's for every term dictionary: no suffix sharing.
var vellumOptions = &vellum.BuilderOpts{Encoder: 1, RegistryTableSize: 0, RegistryMRUSize: 1}

// sections are the sections zap v17 lists for every field (without the
// vectors build tag), each with the address of the field's data in it; only
// the inverted index has any here.
var sections = []uint16{zap.SectionInvertedTextIndex, zap.SectionSynonymIndex, zap.SectionGeoShapeV2Index}

// encoders are what writing a field's postings, dictionary and doc values
// takes, the builder's and the merge's, kept from one field to the next.
type encoders struct {
	tf     tfEncoder
	dv     dvEncoder
	fst    *vellum.Builder
	fstBuf bytes.Buffer
	bitmap []byte   // the term's documents, serialized
	docs   []uint32 // the term's documents, in order, as e.tf has them
}

// startDictionary readies the term dictionary for a field's terms, in order.
func (e *encoders) startDictionary() error {
	if e.fst != nil {
		return nil
	}
	var err error
	e.fst, err = vellum.New(&e.fstBuf, vellumOptions)
	return err
}

// appendPostings appends a term's frequencies and norms (e.tf) and the
// postings record of its documents (e.docs) to buf, whose first byte is at
// base in the file, and returns the record's offset, which the dictionary
// points at.
func (e *encoders) appendPostings(buf []byte, base uint64) ([]byte, uint64) {
	tfOffset := base + uint64(len(buf))
	buf = e.tf.write(buf)
	offset := base + uint64(len(buf))
	buf = binary.AppendUvarint(buf, tfOffset)
	buf = binary.AppendUvarint(buf, noLocations)
	e.bitmap = appendBitmap(e.bitmap[:0], e.docs)
	buf = binary.AppendUvarint(buf, uint64(len(e.bitmap)))
	return append(buf, e.bitmap...), offset
}

// appendDictionary finishes the field's term dictionary, appends it to buf
// and readies the builder for the next field.
func (e *encoders) appendDictionary(buf []byte) ([]byte, error) {
	if err := e.fst.Close(); err != nil {
		return buf, fmt.Errorf("term dictionary: %w", err)
	}
	buf = binary.AppendUvarint(buf, uint64(e.fstBuf.Len()))
	buf = append(buf, e.fstBuf.Bytes()...)
	e.fstBuf.Reset()
	return buf, e.fst.Reset(&e.fstBuf)
}

// appendFieldRecord appends the record a field's address points at: where
// its doc values begin and end, and where its dictionary is.
func appendFieldRecord(buf []byte, dvStart, dvEnd, dict uint64) []byte {
	buf = binary.AppendUvarint(buf, dvStart)
	buf = binary.AppendUvarint(buf, dvEnd)
	return binary.AppendUvarint(buf, dict)
}

// appendFieldsIndex appends each field's name, options and sections, then
// the index of those records, to buf, whose first byte is at base in the
// file, and returns the index's offset.
func appendFieldsIndex(buf []byte, base uint64, names []string, opts []index.FieldIndexingOptions, addrs []uint64) ([]byte, uint64) {
	at := make([]uint64, len(names))
	for i, name := range names {
		at[i] = base + uint64(len(buf))
		buf = binary.AppendUvarint(buf, uint64(len(name)))
		buf = append(buf, name...)
		buf = binary.AppendUvarint(buf, uint64(opts[i]))
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
	fieldsIndex := base + uint64(len(buf))
	buf = binary.AppendUvarint(buf, uint64(len(names)))
	for _, a := range at {
		buf = binary.BigEndian.AppendUint64(buf, a)
	}
	return buf, fieldsIndex
}

// footerSize is zap's footer without a writer id: the id's length, the
// number of documents, the stored and fields indexes, the chunk mode, the
// version and the checksum.
const footerSize = 4 + 8 + 8 + 8 + 4 + 4 + 4

// footer is what a segment file's footer says.
type footer struct {
	idLen, chunkMode, version         uint32
	numDocs, storedIndex, fieldsIndex uint64
}

func readFooter(file []byte) footer {
	f := file[len(file)-footerSize:]
	return footer{
		idLen:       binary.BigEndian.Uint32(f[0:]),
		numDocs:     binary.BigEndian.Uint64(f[4:]),
		storedIndex: binary.BigEndian.Uint64(f[12:]),
		fieldsIndex: binary.BigEndian.Uint64(f[20:]),
		chunkMode:   binary.BigEndian.Uint32(f[28:]),
		version:     binary.BigEndian.Uint32(f[32:]),
	}
}

// appendFooter appends the footer of a file without a writer id, all but
// the checksum, which covers these bytes too.
func appendFooter(buf []byte, numDocs, storedIndex, fieldsIndex uint64) []byte {
	buf = binary.BigEndian.AppendUint32(buf, 0)
	buf = binary.BigEndian.AppendUint64(buf, numDocs)
	buf = binary.BigEndian.AppendUint64(buf, storedIndex)
	buf = binary.BigEndian.AppendUint64(buf, fieldsIndex)
	buf = binary.BigEndian.AppendUint32(buf, zap.DefaultChunkMode)
	return binary.BigEndian.AppendUint32(buf, zap.Version)
}

// fieldEntry is a field as a file's fields index lists it.
type fieldEntry struct {
	name  string
	opts  index.FieldIndexingOptions
	pairs []byte // its sections: a 2-byte section and an 8-byte address each, in file
}

const sectionPairSize = 2 + 8

// readFields reads the fields index of a segment file.
func readFields(file []byte, fieldsIndex uint64) []fieldEntry {
	numFields, n := binary.Uvarint(file[fieldsIndex:])
	at := fieldsIndex + uint64(n)
	out := make([]fieldEntry, numFields)
	for i := range out {
		pos := binary.BigEndian.Uint64(file[at:])
		at += 8
		nameLen, n := binary.Uvarint(file[pos:])
		pos += uint64(n)
		out[i].name = string(file[pos : pos+nameLen])
		pos += nameLen
		opts, n := binary.Uvarint(file[pos:])
		pos += uint64(n)
		out[i].opts = index.FieldIndexingOptions(opts)
		count, n := binary.Uvarint(file[pos:])
		pos += uint64(n)
		out[i].pairs = file[pos : pos+count*sectionPairSize]
	}
	return out
}
