# wslint developer targets. `make test` is what CI runs (.ci/run).
GO        ?= go
PKGS      ?= ./...
DEB_PKGS  := nginx-light chromium pre-commit
FUZZTIME  ?= 20s

.PHONY: all build test deps vet fmt-check bench bench-api fuzz docs clean

all: build

build:
	$(GO) build -o bin/wslint ./cmd/wslint

# deps installs what the tests need on a fresh Debian machine, when missing.
deps:
	@missing=""; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pre-commit >/dev/null 2>&1 || missing="$$missing pre-commit"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test: deps fmt-check vet
	$(GO) test -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./lint/nginx/... ./rules/...

clean:
	rm -rf bin
