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

.PHONY: build test vet bench bench-go bench-100k bench-300k bench-1m bench-ingest run clean

build:
	$(GO) build -o $(BIN) ./cmd/kho

vet:
	$(GO) vet ./...

# The whole suite; corpus-backed tests read $(KHO_SHARED) and skip only when it is absent.
test: vet
	$(GO) test -count=1 ./...

# Go microbenchmarks (Benchmark… functions).
bench-go:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# kho against the SQLite FTS5 baseline, same articles and queries, one run: ingest rate, index size,
# latency at concurrency 1 and 16, server memory (issue 7; see BENCHMARKS.md "Performance at scale").
# The indexes stay in data/bench-*; BENCHFLAGS adds flags, e.g. BENCHFLAGS=--reuse to query them again.
BENCHFLAGS ?=
bench: build
	nice -n 5 ./$(BIN) bench --dir data/bench-corpus --json data/bench-corpus.json $(BENCHFLAGS) $(SHARED)/corpus/*.jsonl.gz

bench-100k bench-300k bench-1m: bench-%: build data/synth-%.jsonl.gz
	nice -n 5 ./$(BIN) bench --dir data/bench-$* --json data/bench-$*.json $(BENCHFLAGS) data/synth-$*.jsonl.gz

# Synthetic archives of real recombined text (../shared/tools/synth-corpus): 100k ≈ 17 s and 143 MB,
# 1M ≈ 3 min and 1.4 GB on an idle machine. Never committed (data/ is ignored).
SYNTH := $(SHARED)/tools/synth-corpus
data/synth-100k.jsonl.gz: N = 100000
data/synth-300k.jsonl.gz: N = 300000
data/synth-1m.jsonl.gz:   N = 1000000
data/synth-%.jsonl.gz:
	@mkdir -p data
	$(SYNTH) --n $(N) --seed 1 --out data/tmp-synth-$*.jsonl.gz
	mv data/tmp-synth-$*.jsonl.gz $@

# All of ../shared/corpus into a fresh on-disk index with the real mapping, then again (every article
# unchanged): articles/s, MB/s and peak RSS. See BENCHMARKS.md "Ingest".
bench-ingest: build
	nice ./$(BIN) bench-ingest $(SHARED)/corpus/*.jsonl.gz

# Build, ingest the sample archive (again: unchanged articles are skipped) and serve it.
run: build
	./$(BIN) ingest --index $(INDEX) testdata/archive
	./$(BIN) serve --index $(INDEX) --addr $(ADDR)

clean:
	rm -rf bin data
