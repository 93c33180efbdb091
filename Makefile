# kho — see README.md. Every target works from a fresh clone.
GO      ?= go
BIN     := bin/kho
INDEX   ?= data/kho.bleve
ADDR    ?= 127.0.0.1:8080
SHARED  ?= $(abspath ../shared)
# Corpus-backed tests read KHO_SHARED; without ../shared they skip with a message.
ifneq ($(wildcard $(SHARED)/corpus),)
export KHO_SHARED ?= $(SHARED)
endif

.PHONY: build test vet bench bench-ingest bench-search run clean

build:
	$(GO) build -o $(BIN) ./cmd/kho

vet:
	$(GO) vet ./...

# The whole suite; corpus-backed tests read $(KHO_SHARED) and skip only when it is absent. The index
# package builds the whole corpus once (about 2 CPU-minutes, far longer on a busy machine), hence the
# timeout above go test's default 10 minutes.
test: vet
	$(GO) test -count=1 -timeout 60m ./...

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# All of ../shared/corpus into a fresh on-disk index with the real mapping, then again (every article
# unchanged): articles/s, MB/s and peak RSS. See BENCHMARKS.md "Ingest".
bench-ingest: build
	nice ./$(BIN) bench-ingest $(SHARED)/corpus/*.jsonl.gz

# Search latency and throughput: a few thousand searches sampled from ../shared/corpus (filters, sorts,
# facets, highlights) at concurrency 1 and 16, against the whole corpus indexed once into
# $(BENCH_INDEX) (remove it to rebuild). See BENCHMARKS.md "Search".
BENCH_INDEX ?= data/bench.bleve
bench-search: build
	test -d $(BENCH_INDEX) || ./$(BIN) ingest --index $(BENCH_INDEX) $(SHARED)/corpus/*.jsonl.gz
	nice ./$(BIN) bench-search --index $(BENCH_INDEX) $(SHARED)/corpus/*.jsonl.gz

# Build, ingest the sample archive (again: unchanged articles are skipped) and serve it.
run: build
	./$(BIN) ingest --index $(INDEX) testdata/archive
	./$(BIN) serve --index $(INDEX) --addr $(ADDR)

clean:
	rm -rf bin data
