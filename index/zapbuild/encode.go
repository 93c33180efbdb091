package zapbuild

import (
	"encoding/binary"
	"io"
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
// documents in it and where each one's values end. It writes each chunk
// as it ends: a merged segment's doc values run to hundreds of megabytes,
// and gathering them first cost a minute of copying at a million articles.
type dvEncoder struct {
	w          io.Writer // where the chunks go
	err        error     // w's first error
	chunk      uint64
	lens       []uint64
	cur        uint64
	chunkBuf   []byte
	meta       []dvMeta
	raw        bool // no compression
	head       []byte
	compressed []byte
}

type dvMeta struct{ doc, end uint64 }

// reset readies the encoder for a field's doc values in a segment of
// numDocs documents, written to w: zap chunks them by 1,024 documents, or
// one a chunk when the field says so, and compresses them unless it says
// not to.
func (e *dvEncoder) reset(opts index.FieldIndexingOptions, numDocs uint64, w io.Writer) {
	e.w, e.err = w, nil
	e.chunk, e.raw = legacyChunk, opts.SkipDVCompression()
	if opts.SkipDVChunking() {
		e.chunk = 1
	}
	maxDoc := numDocs - 1
	chunk := e.chunk
	e.lens = slices.Grow(e.lens[:0], int(maxDoc/chunk+1))[:maxDoc/chunk+1]
	clear(e.lens)
	e.cur = 0
	e.chunkBuf = e.chunkBuf[:0]
	e.meta = e.meta[:0]
}

// add adds a document's values; documents come in order.
func (e *dvEncoder) add(doc uint64, vals []byte) {
	if e.chunk == 1 && e.raw { // a document's chunk is its values as they are
		e.lens[doc] += uint64(len(vals))
		e.emit(vals)
		return
	}
	if c := doc / e.chunk; c != e.cur {
		e.flush()
		e.chunkBuf = e.chunkBuf[:0]
		e.meta = e.meta[:0]
		e.cur = c
	}
	e.chunkBuf = append(e.chunkBuf, vals...)
	e.meta = append(e.meta, dvMeta{doc: doc, end: uint64(len(e.chunkBuf))})
}

func (e *dvEncoder) emit(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}

func (e *dvEncoder) flush() {
	if e.chunk == 1 && e.raw {
		return // written by add
	}
	e.head = e.head[:0]
	if e.chunk != 1 { // one document a chunk needs no list
		e.head = binary.AppendUvarint(e.head, uint64(len(e.meta)))
		for _, m := range e.meta {
			e.head = binary.AppendUvarint(e.head, m.doc)
			e.head = binary.AppendUvarint(e.head, m.end)
		}
	}
	payload := e.chunkBuf
	if !e.raw {
		e.compressed = snappy.Encode(e.compressed[:cap(e.compressed)], e.chunkBuf)
		payload = e.compressed
	}
	e.emit(e.head)
	e.emit(payload)
	e.lens[e.cur] = uint64(len(e.head) + len(payload))
}

// finish writes the last chunk.
func (e *dvEncoder) finish() error {
	e.flush()
	e.w = nil
	return e.err
}

// appendTrailer appends what follows the chunks in the file: the end
// offset of each chunk, the bytes those offsets take and the number of
// chunks.
func (e *dvEncoder) appendTrailer(buf []byte) []byte {
	offsetsStart := len(buf)
	var end uint64
	for _, n := range e.lens {
		end += n
		buf = binary.AppendUvarint(buf, end)
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(buf)-offsetsStart))
	return binary.BigEndian.AppendUint64(buf, uint64(len(e.lens)))
}
