# wslint developer targets. `make test` is what CI runs (.ci/run).
GO        ?= go
PKGS      ?= ./...
DEB_PKGS  := nginx-light chromium pre-commit
FUZZTIME  ?= 60s
# FUZZFLAGS bound the minimisation of new inputs, which otherwise eats the run.
FUZZFLAGS ?= -fuzzminimizetime=5s

.PHONY: all build test deps vet fmt-check bench bench-api pgo fuzz fuzz-short docs clean

all: build

# A static binary (no cgo: wslint resolves no host names) starts about 1 ms
# sooner than a dynamically linked one.
build:
	CGO_ENABLED=0 $(GO) build -o bin/wslint ./cmd/wslint

# deps installs what the tests need on a fresh Debian machine, when missing
# (the lua, perl, stream and mail modules: tests check how wslint reads
# *_by_lua_block code, the variables perl_set and set_by_lua* define, and
# stream and mail values, against nginx -t with the module loaded).
deps:
	@missing=""; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	[ -e /usr/lib/nginx/modules/ngx_http_lua_module.so ] || missing="$$missing libnginx-mod-http-lua"; \
	[ -e /usr/lib/nginx/modules/ngx_http_perl_module.so ] || missing="$$missing libnginx-mod-http-perl"; \
	[ -e /usr/lib/nginx/modules/ngx_stream_module.so ] || missing="$$missing libnginx-mod-stream"; \
	[ -e /usr/lib/nginx/modules/ngx_mail_module.so ] || missing="$$missing libnginx-mod-mail"; \
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

test: deps fmt-check vet fuzz-short
	$(GO) test -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./lint/nginx/ ./rules/
	CGO_ENABLED=0 $(GO) build -o bin/wslint ./cmd/wslint
	$(GO) run ./lint/linttest/procbench -wslint bin/wslint -sizes 10,1000,10000,50000 -runs 5

# bench-api: requests/s and p99 of POST /api/v1/lint (a 2 KB config) on
# `bin/wslint serve` beside a bare JSON echo handler, each in its own
# process, taking turns in ten rounds, and the service's RSS over the run
# (BENCH_N requests to each, BENCH_C clients).
BENCH_N ?= 100000
BENCH_C ?= 8
bench-api: build
	WSLINT_BENCH_API=1 WSLINT_BENCH_BIN=$(CURDIR)/bin/wslint WSLINT_BENCH_N=$(BENCH_N) WSLINT_BENCH_C=$(BENCH_C) \
		$(GO) test -count=1 -run '^TestLoadAPI$$' -v -timeout 30m ./web/

# pgo regenerates cmd/wslint/default.pgo, the CPU profile that go build and
# go install use for profile-guided optimisation of wslint: whole-process
# lints of 10k servers (one file and split over includes) and the service
# under the bench-api load (its server side only). Regenerate it when the
# engine's hot paths change; docs/developing.md says more.
pgo: build
	rm -rf bin/pgo && mkdir -p bin/pgo
	$(GO) run ./lint/linttest/confgen/cmd -servers 10000 > bin/pgo/10k.conf
	$(GO) run ./lint/linttest/confgen/cmd -servers 10000 -split bin/pgo/split
	for i in 1 2 3; do WSLINT_CPUPROFILE=bin/pgo/cli-$$i.pprof bin/wslint lint -q bin/pgo/10k.conf >/dev/null || exit 1; done
	WSLINT_CPUPROFILE=bin/pgo/split.pprof bin/wslint lint -q bin/pgo/split/nginx.conf >/dev/null
	WSLINT_PROFILE_API=$(CURDIR)/bin/pgo/api-all.pprof $(GO) test -count=1 -run '^TestProfileAPI$$' ./web/
	$(GO) tool pprof -tagfocus side=server -proto bin/pgo/api-all.pprof > bin/pgo/api.pprof
	$(GO) tool pprof -proto bin/pgo/cli-*.pprof bin/pgo/split.pprof bin/pgo/api.pprof > cmd/wslint/default.pgo

# fuzz runs every Fuzz* target of the module for FUZZTIME each, one at a
# time (go test -fuzz takes one target per run). A failing input is written
# to <package>/testdata/fuzz/<Target>/; committed, it is a regression test
# that every plain `go test` runs (with the seeds from testdata/).
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		dir=./$$(dirname $${f#./}); \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			case " $(FUZZSKIP) " in *" $$t "*) echo "skip $$t (FUZZSKIP)"; continue;; esac; \
			echo "fuzz $$dir $$t for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$dir; \
		done; \
	done

# fuzz-short is what `make test` (and so CI) runs: each target briefly,
# FuzzFix included (its oracle, "a fix adds no finding", is the strictest:
# 30 fresh 20000-execution runs of it in session 12 found nothing, in 16-74 s
# each, most of it the first pass over its corpus and the minimisation of
# new inputs). A failing input is a bug: it is written to
# <package>/testdata/fuzz/<Target>/, to commit with its fix.
#
# It counts executions (20000 each) rather than giving a duration: with a
# duration, Go 1.26's fuzz coordinator can fail a target with a bare
# "context deadline exceeded" and no crasher when the time runs out
# (golang/go#75804, fixed in Go 1.27). A count sets no deadline, so only a
# real failing input fails CI. `make fuzz` keeps its duration;
# FUZZTIME=1000000x there avoids the race too.
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

# docs regenerates what the code knows: docs/rules.md (the rule documents)
# and README.md's rule table (TestRulesDocIsCurrent and TestReadmeRules fail
# when either is stale).
docs:
	$(GO) run ./cmd/wslint rules --all --format markdown > docs/rules.md
	$(GO) test ./cmd/wslint -run TestReadmeRules -update >/dev/null

clean:
	rm -rf bin
