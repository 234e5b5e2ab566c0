# nsinspect: build, run, test, lint, bench.
GO        ?= go
BIN       ?= nsinspect
PREFIX    ?= /usr/local
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)

.PHONY: all build run test test-short lint golden fuzz bench clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

# Build and list this host's namespaces (as root for a complete view).
run: build
	./$(BIN)

# Every test: lint, hermetic, privileged (they skip without root unless
# NSINSPECT_REQUIRE_PRIVILEGED=1, which makes a skip a failure), fuzz seeds.
test: lint
	$(GO) test -race -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Rewrite the golden files from the current output; review the diff.
golden:
	$(GO) test -count=1 -run Golden . -update

clean:
	rm -f $(BIN)
