# auditwatch: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
DEBUG_BIN := .build/debug/auditwatch
RELEASE_BIN := .build/release/auditwatch
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/auditwatch/Auditwatch.swift)
DIST_NAME := auditwatch-$(VERSION)-linux-$(shell uname -m)
# swift-argument-parser's tool behind its generate-manual plugin, for the man page.
MANUAL_TOOL ?= .build/debug/generate-manual

.PHONY: all deps build release run test conformance snapshots noise noise-check docs faults bench bench-orgs bench-regex profile fuzz fuzz-regex clean test-tools install manual-tool dist lint format

all: build

deps:
	@scripts/install-system-packages.sh
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is needed: https://www.swift.org/install/linux/" >&2; exit 1; }

# The validators the tests run on metrics and deployment files (promtool, systemd-analyze,
# kubernetes-validate, hadolint).
test-tools:
	@scripts/install-system-packages.sh --test
	@scripts/install-python-tools.sh

build: deps
	$(SWIFT) build --product auditwatch

release: deps
	$(SWIFT) build -c release --product auditwatch

# The main job: the shipped rules over a day of an example organization's audit log.
run: build
	$(DEBUG_BIN) run --rules rules --events examples/logs/acme-day.jsonl

# The shipped rules must load cleanly and pass their own tests with full coverage; the quick
# differential test against pySigma follows (docs/sigma-conformance.md); then the Swift Testing
# suites close the run.
test: deps test-tools
	$(MAKE) --no-print-directory lint
	$(SWIFT) build --product auditwatch
	$(SWIFT) build --product generate-manual
	$(DEBUG_BIN) rules validate --strict rules
	$(DEBUG_BIN) rules test --require-coverage rules
	@$(DEBUG_BIN) rules docs rules | diff -u docs/rules.md - >/dev/null || { echo "docs/rules.md is stale: run make docs" >&2; exit 1; }
	$(MAKE) --no-print-directory noise-check
	@scripts/install-python-packages.sh
	python3 conformance/run.py --binary $(DEBUG_BIN) --seeds 1-3 --rules 120 --events 100 --correlations 15
	$(SWIFT) test --disable-xctest

# House style (.swift-format: 120 columns); make format rewrites, make lint checks (make test runs it).
FORMAT_PATHS := Package.swift Sources Tests Fuzz
lint:
	swift format lint --strict --parallel -r $(FORMAT_PATHS)
format:
	swift format format --in-place --parallel -r $(FORMAT_PATHS)

# Rewrite the golden files of what users read (Tests/Snapshots: help text, diagnostics, the diff
# comment) after a change meant to alter them; review the diff before committing.
snapshots: build
	AUDITWATCH_UPDATE_SNAPSHOTS=1 $(SWIFT) test --disable-xctest --filter 'HelpSnapshotTests|DiagnosticSnapshotTests|RulesDiffRepositoryTests'

# The catalog of the shipped pack (make test checks it is current).
docs: build
	$(DEBUG_BIN) rules docs rules --output docs/rules.md

# The shipped pack over generated benign months of a 300-person company (tuned by
# examples/benign-month/placeholders.yml): alerts per rule per day, at most one a day in total.
NOISE_DIR := .build/noise
NOISE_RUN = python3 scripts/generate-benign-month.py --seed $(1) > $(NOISE_DIR)/month-$(1).jsonl && \
	$(DEBUG_BIN) run --rules rules --placeholders examples/benign-month/placeholders.yml \
	  --events $(NOISE_DIR)/month-$(1).jsonl --output jsonl > $(NOISE_DIR)/alerts-$(1).jsonl && \
	python3 scripts/noise-report.py --start 2026-06-01 --days 30 --max-per-day 1 $(2) $(NOISE_DIR)/alerts-$(1).jsonl
noise: build
	@mkdir -p $(NOISE_DIR)
	@for seed in $(or $(SEEDS),1 2 3); do echo "seed $$seed:"; $(call NOISE_RUN,$$seed,) || exit 1; done

# The quick form for make test: one month (deterministic), only the verdict.
noise-check:
	@mkdir -p $(NOISE_DIR)
	@$(call NOISE_RUN,1,--quiet)

# The differential test against pySigma + pysigma-backend-sqlite on a larger seed set (minutes).
conformance: deps
	$(SWIFT) build --product auditwatch
	@scripts/install-python-packages.sh
	python3 conformance/run.py --binary $(DEBUG_BIN) --seeds $(or $(SEEDS),1-20) --rules 200 --events 150 --correlations 30

# bin/auditwatch, the shipped rules in share/auditwatch/rules, the man page, completions, the
# systemd unit and the examples, under $(DESTDIR)$(PREFIX). `make install BIN=path` installs a
# binary already built instead of building the release one.
install: $(if $(BIN),,release) $(if $(filter .build/debug/generate-manual,$(MANUAL_TOOL)),manual-tool)
	scripts/install.sh "$(or $(BIN),$(RELEASE_BIN))" "$(MANUAL_TOOL)" "$(DESTDIR)$(PREFIX)" "$(PREFIX)"

manual-tool: deps
	$(SWIFT) build --product generate-manual

# A release tarball, dist/auditwatch-VERSION-linux-ARCH.tar.gz, with the Swift runtime linked in
# (--static-swift-stdlib; libcurl, libyaml and SQLite stay the system's), checked to run with the
# Swift toolchain hidden.
dist: deps manual-tool
	$(SWIFT) build -c release --product auditwatch --static-swift-stdlib --scratch-path .build-dist
	rm -rf dist/$(DIST_NAME) dist/$(DIST_NAME).tar.gz
	scripts/install.sh .build-dist/release/auditwatch "$(MANUAL_TOOL)" dist/$(DIST_NAME) /usr/local
	scripts/check-dist.sh dist/$(DIST_NAME)
	tar -C dist --owner=0 --group=0 -czf dist/$(DIST_NAME).tar.gz $(DIST_NAME)
	@echo "dist/$(DIST_NAME).tar.gz"

# The fault suite (docs/reliability.md): SIGKILL at random points while polling and delivering,
# with restarts (ROUNDS, default 30), a hung target, two instances; `make test` runs 3 rounds.
faults: deps
	$(SWIFT) build --product auditwatch
	AUDITWATCH_FAULT_ROUNDS=$(or $(ROUNDS),30) $(SWIFT) test --disable-xctest --filter 'FaultTests|ReliabilityTests'

# Throughput and memory against Python + orjson, jq and simdjson on 1M generated events, the full
# pack, one rule and the 10/100/1,000/3,000 generated rule sets on one and two threads; peak
# memory; correlation bytes per group (numbers, never pass/fail). Installs its comparison tools
# (scripts/bench-packages.sh: jq, libsimdjson-dev, g++, valgrind, orjson); make test never does.
bench: release
	@scripts/bench-packages.sh
	python3 bench/bench.py --events $(or $(EVENTS),1000000) --runs $(or $(RUNS),3) $(if $(RULE_COUNTS),--rule-counts $(RULE_COUNTS))

# One replica's peak memory (VmHWM) with ORGS (1,000) organization files and the shipped pack, polled
# POLL_ROUNDS (3) times over HTTPS from a loopback stand-in (docs/scaling.md; target <= 512 MiB).
bench-orgs: release
	python3 bench/orgs/run.py --binary $(RELEASE_BIN) --orgs $(or $(ORGS),1000) --rounds $(or $(POLL_ROUNDS),3)

# Instruction counts per event with callgrind (repeatable where times are not); needs valgrind.
profile: deps
	@scripts/bench-packages.sh
	bench/profile.sh $(or $(EVENTS),20000)

# The regex engine against RE2 on the pack's and SigmaHQ's |re values (needs g++ and libre2-dev).
bench-regex: build
	python3 bench/regex/run.py --events $(or $(EVENTS),2000) --rounds $(or $(RUNS),3)

# libFuzzer with ASan over every reader of untrusted text, FUZZ_SECONDS (60) per target, from the
# seeds in Fuzz/Corpus; fails when a target crashes, leaving the input in Fuzz/Findings/.
# FUZZ_TARGETS picks some (json events regex yaml rules condition config); docs/fuzzing.md.
fuzz: deps
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) Fuzz/run.sh $(FUZZ_TARGETS)

# The regex engine alone, compiled with swiftc from its sources (quick to build); new inputs go to
# .build/fuzz, crashes to .build/fuzz/crash-*.
fuzz-regex: deps
	mkdir -p .build/fuzz/regex-corpus
	swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name RegexFuzz \
		Sources/AuditwatchCore/Regex/*.swift Fuzz/Standalone/RegexFuzz.swift -o .build/fuzz/regex
	.build/fuzz/regex -max_total_time=$(or $(FUZZ_SECONDS),60) -max_len=1024 -rss_limit_mb=2048 \
		-artifact_prefix=.build/fuzz/ .build/fuzz/regex-corpus Fuzz/Corpus/regex

clean:
	rm -rf .build .build-dist dist .build-fuzz
