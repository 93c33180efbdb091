package zapbuild

import (
	"encoding/binary"
	"slices"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/golang/snappy"
)

// The two encoders below write what zap's chunkedIntCoder and
// chunkedContentCoder write (zapx v17 intcoder.go and contentcoder.go,
// Apache License 2.0), for one term or one field at a time, into the
// segment's bytes.

// tfEncoder writes a term's frequencies and norms in chunks of documents,
// so a reader can skip to a document's chunk.
type tfEncoder struct {
	chunk uint64
	lens  []uint64 // bytes of each chunk
	data  []byte
	cur   uint64 // the chunk being written
	start int    // where it begins in data
}

func (e *tfEncoder) reset(chunk, maxDoc uint64) {
	e.chunk = chunk
	e.lens = slices.Grow(e.lens[:0], int(maxDoc/chunk+1))[:maxDoc/chunk+1]
	clear(e.lens)
	e.data = e.data[:0]
	e.cur, e.start = 0, 0
}

// add encodes a posting's frequency (with zap's has-locations bit) and,
// when the frequency is not zero, its norm: the field's length, which zap
// stores as the bits of a float32.
func (e *tfEncoder) add(doc, freqBits uint64, hasNorm bool, norm uint64) {
	e.at(doc)
	e.data = binary.AppendUvarint(e.data, freqBits)
	if hasNorm {
		e.data = binary.AppendUvarint(e.data, norm)
	}
}

// addBytes adds a posting's frequency and norm as they are encoded.
func (e *tfEncoder) addBytes(doc uint64, b []byte) {
	e.at(doc)
	e.data = append(e.data, b...)
}

// at ends the chunk being written when doc belongs to a later one.
func (e *tfEncoder) at(doc uint64) {
	if c := doc / e.chunk; c != e.cur {
		e.lens[e.cur] = uint64(len(e.data) - e.start)
		e.cur, e.start = c, len(e.data)
	}
}

// write appends the number of chunks, the end offset of each, and the data.
func (e *tfEncoder) write(buf []byte) []byte {
	e.lens[e.cur] = uint64(len(e.data) - e.start)
	buf = binary.AppendUvarint(buf, uint64(len(e.lens)))
	var end uint64
	for _, n := range e.lens {
		end += n
		buf = binary.AppendUvarint(buf, end)
	}
	return append(buf, e.data...)
}

// dvEncoder writes a field's doc values in chunks of documents, each chunk
// snappy-compressed (unless the field says not to) after a list of the
// documents in it and where each one's values end.
type dvEncoder struct {
	chunk      uint64
	lens       []uint64
	cur        uint64
	final      []byte
	chunkBuf   []byte
	meta       []dvMeta
	raw        bool // no compression
	compressed []byte
}

type dvMeta struct{ doc, end uint64 }

// reset readies the encoder for a field's doc values in a segment of
// numDocs documents: zap chunks them by 1,024 documents, or one a chunk when
// the field says so, and compresses them unless it says not to.
func (e *dvEncoder) reset(opts index.FieldIndexingOptions, numDocs uint64) {
	e.chunk, e.raw = legacyChunk, opts.SkipDVCompression()
	if opts.SkipDVChunking() {
		e.chunk = 1
	}
	maxDoc := numDocs - 1
	chunk := e.chunk
	e.lens = slices.Grow(e.lens[:0], int(maxDoc/chunk+1))[:maxDoc/chunk+1]
	clear(e.lens)
	e.cur = 0
	e.final = e.final[:0]
	e.chunkBuf = e.chunkBuf[:0]
	e.meta = e.meta[:0]
}

func (e *dvEncoder) add(doc uint64, vals []byte) {
	if c := doc / e.chunk; c != e.cur {
		e.flush()
		e.chunkBuf = e.chunkBuf[:0]
		e.meta = e.meta[:0]
		e.cur = c
	}
	e.chunkBuf = append(e.chunkBuf, vals...)
	e.meta = append(e.meta, dvMeta{doc: doc, end: uint64(len(e.chunkBuf))})
}

func (e *dvEncoder) flush() {
	begin := len(e.final)
	if e.chunk != 1 { // one document a chunk needs no list
		e.final = binary.AppendUvarint(e.final, uint64(len(e.meta)))
		for _, m := range e.meta {
			e.final = binary.AppendUvarint(e.final, m.doc)
			e.final = binary.AppendUvarint(e.final, m.end)
		}
	}
	if e.raw {
		e.final = append(e.final, e.chunkBuf...)
	} else {
		e.compressed = snappy.Encode(e.compressed[:cap(e.compressed)], e.chunkBuf)
		e.final = append(e.final, e.compressed...)
	}
	e.lens[e.cur] = uint64(len(e.final) - begin)
}

// write flushes the last chunk and appends the chunks, the end offset of
// each, the bytes those offsets take and the number of chunks.
func (e *dvEncoder) write(buf []byte) []byte {
	e.flush()
	buf = append(buf, e.final...)
	offsetsStart := len(buf)
	var end uint64
	for _, n := range e.lens {
		end += n
		buf = binary.AppendUvarint(buf, end)
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(buf)-offsetsStart))
	return binary.BigEndian.AppendUint64(buf, uint64(len(e.lens)))
}
