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

.PHONY: build test vet bench bench-go bench-100k bench-300k bench-1m bench-ingest bench-search run clean fuzz soak

build:
	$(GO) build -o $(BIN) ./cmd/kho

vet:
	$(GO) vet ./...

# The whole suite; corpus-backed tests read $(KHO_SHARED) and skip only when it is absent. The index
# package builds the whole corpus once (about 2 CPU-minutes, far longer on a busy machine), hence the
# timeout above go test's default 10 minutes.
test: vet
	$(GO) test -count=1 -timeout 45m ./...

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

# Every fuzz target in the repository, FUZZTIME each (found with grep, so new
# targets are included). A failing input is written to the package's
# testdata/fuzz/FuzzX/ and replayed by make test from then on: commit it with
# the fix. A target that exits non-zero without writing an input hit Go 1.26's
# fuzz-coordinator race at the end of -fuzztime (go.dev/issue/75804, fixed in
# Go 1.27; it shows as "context deadline exceeded"): reported, not a failure.
FUZZTIME ?= 60s
fuzz:
	@failed=""; flaked=""; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  pkg=$$(dirname $$file); \
	  for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
	    echo "== $$target ($$pkg)"; \
	    before=$$(ls $$pkg/testdata/fuzz/$$target 2>/dev/null | wc -l); \
	    if ! $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg; then \
	      after=$$(ls $$pkg/testdata/fuzz/$$target 2>/dev/null | wc -l); \
	      if [ "$$after" -gt "$$before" ]; then failed="$$failed $$target"; else flaked="$$flaked $$target"; fi; \
	    fi; \
	  done; \
	done; \
	if [ -n "$$flaked" ]; then echo "stopped without a failing input (go.dev/issue/75804):$$flaked"; fi; \
	if [ -n "$$failed" ]; then echo "fuzz failures (inputs in testdata/fuzz):$$failed"; exit 1; fi

# Five minutes at concurrency 32 against the whole corpus, writes mixed in
# (not in CI). The corpus index is built once at SOAK_INDEX; the test serves
# a copy of it. Figures go to artifacts/soak.json.
SOAK_INDEX ?= data/soak.bleve
soak: build
	test -d $(SOAK_INDEX) || nice ./$(BIN) ingest --index $(SOAK_INDEX) $(SHARED)/corpus/*.jsonl.gz
	KHO_SOAK_INDEX=$(abspath $(SOAK_INDEX)) KHO_SOAK_OUT=$(abspath artifacts/soak.json) \
	  $(GO) test -tags soak -run '^TestSoak$$' -count=1 -timeout 60m -v ./cmd/kho
