# kho — see README.md. Every target works from a fresh clone.
GO      ?= go
BIN     := bin/kho
INDEX   ?= data/kho.bleve
ADDR    ?= 127.0.0.1:8080
SHARED  ?= $(abspath ../shared)
export KHO_SHARED ?= $(SHARED)

.PHONY: build test vet bench run clean

build:
	$(GO) build -o $(BIN) ./cmd/kho

vet:
	$(GO) vet ./...

# The whole suite; corpus-backed tests read $(KHO_SHARED) and skip only when it is absent.
test: vet
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

clean:
	rm -rf bin data
