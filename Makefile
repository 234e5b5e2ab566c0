# nsinspect: build, run, test, lint, bench.
GO        ?= go
BIN       ?= nsinspect
PREFIX    ?= /usr/local
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION  ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS   := -X main.version=$(VERSION) -X main.revision=$(REVISION)

.PHONY: all build run test lint golden generate graph-example fuzz bench clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

# Build and list this host's namespaces (as root for a complete view).
run: build
	./$(BIN)

# Every test: lint, then the hermetic tests (fixtures, goldens, parsers,
# render, query), which pass as any user with no skip; as root also the
# privileged ones (build tag "privileged": they create namespaces, mounts
# and processes, and compare with lsns), where
# NSINSPECT_REQUIRE_PRIVILEGED=1 (CI) turns any skip into a failure; then
# every fuzzer for 50,000 inputs. A count, not a duration: Go 1.26's fuzz
# coordinator can fail a target that found nothing with "context deadline
# exceeded" when a duration runs out (golang/go#75804, fixed in Go 1.27).
test: lint
	@if [ "$$(id -u)" = 0 ]; then tags="-tags privileged"; 	  else echo "make test: not root, so the privileged tests (-tags privileged) are left out"; fi; 	  echo "$(GO) test -race -count=1 $$tags ./..."; 	  $(GO) test -race -count=1 $$tags ./...
	$(MAKE) fuzz FUZZTIME=50000x

# Run each fuzzer for FUZZTIME (a duration or a count, 1000x), one after
# the other: go test fuzzes one target per run. Fuzzers are found by name,
# so a new one runs without an edit here. A failing input is saved under the
# package's testdata/fuzz.
FUZZTIME  ?= 10s
fuzz:
	@set -e; \
	for file in $$(grep -rl --include='*_test.go' --exclude-dir=testdata '^func Fuzz' . | sort); do \
	  pkg=$$(dirname $$file); \
	  for f in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
	    echo "$(GO) test -run '^\$$' -fuzz '^$$f\$$' -fuzztime $(FUZZTIME) $$pkg"; \
	    $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags privileged ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(STATICCHECK) -tags privileged ./...

# Measure nsinspect against lsns and the floor on a host this populates
# (as root): BENCHFLAGS="-procs 3600 -groups 300 -runs 7" are the defaults;
# then, on a hostile host, 200 processes with a 2 MB argv each in an ipc
# namespace of its own (-argv BYTES -argv-procs K; -argv 0 leaves it out);
# then the scanner's Go benchmarks on generated trees and the table
# writer's, with allocations.
BENCHFLAGS ?= -procs 3600 -groups 300 -runs 7
bench: build
	$(GO) run ./bench $(BENCHFLAGS)
	$(GO) test -run '^$$' -bench . -benchmem ./inspect ./render

# Compare with an lsns 2.42 byte for byte (as root): LSNS=/path/to/lsns,
# e.g. one built from util-linux's tag v2.42.2. CI has only 2.38.1.
.PHONY: compare
compare:
	NSINSPECT_LSNS=$(LSNS) $(GO) test -count=1 -tags 'privileged oracle' -run 'TestCompareWithLsns|TestLsnsConsumers' -v ./e2e

# Rewrite the golden files from the current output; review the diff.
golden:
	$(GO) test -count=1 -run Golden . -update

# Write the lists of columns in the manual page, the README, the JSON schema
# and the completions from the column registry (internal/query), between
# their BEGIN/END generated markers; internal/gen's test fails while one is
# stale.
generate:
	$(GO) generate ./internal/query

# Redraw the README's example graph from the hand-made host of
# internal/query's TestGraphExample: its DOT, then its SVG (needs Graphviz).
graph-example:
	$(GO) test -count=1 -run '^TestGraphExample$$' ./internal/query -update
	dot -Tsvg docs/graph-example.dot -o docs/graph-example.svg

clean:
	rm -f $(BIN)

# Install the binary, the manual page and the shell completions under
# $(DESTDIR)$(PREFIX), where distributions and the shells look for them.
# INSTALL_LSNS=1 also puts the name lsns beside it (a symlink): run by that
# name nsinspect is lsns 2.42.2 (README: "Called as lsns"). It is an opt-in:
# where PREFIX/bin comes first on PATH it shadows util-linux's lsns.
.PHONY: install
install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/nsinspect
	install -D -m 0644 man/nsinspect.8 $(DESTDIR)$(PREFIX)/share/man/man8/nsinspect.8
	install -D -m 0644 completions/nsinspect.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nsinspect
	install -D -m 0644 completions/_nsinspect $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_nsinspect
	install -D -m 0644 completions/nsinspect.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/nsinspect.fish
	@if [ -n "$(INSTALL_LSNS)" ]; then \
	  echo "ln -sf nsinspect $(DESTDIR)$(PREFIX)/bin/lsns"; \
	  ln -sf nsinspect $(DESTDIR)$(PREFIX)/bin/lsns; \
	fi
