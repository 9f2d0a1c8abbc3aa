# auditwatch: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
DEBUG_BIN := .build/debug/auditwatch
RELEASE_BIN := .build/release/auditwatch

.PHONY: all deps build release run test bench profile clean

all: build

deps:
	@scripts/install-system-packages.sh
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is needed: https://www.swift.org/install/linux/" >&2; exit 1; }

build: deps
	$(SWIFT) build --product auditwatch

release: deps
	$(SWIFT) build -c release --product auditwatch

# The main job: the shipped rules over a day of an example organization's audit log.
run: build
	$(DEBUG_BIN) run --rules rules --events examples/logs/acme-day.jsonl

# The shipped rules must load cleanly and pass their own tests with full coverage; then the
# Swift Testing suites close the run.
test: deps
	$(SWIFT) build --product auditwatch
	$(DEBUG_BIN) rules validate --strict rules
	$(DEBUG_BIN) rules test --require-coverage rules
	$(SWIFT) test --disable-xctest

# Throughput and memory against jq and Python on 1M generated events (numbers, never pass/fail).
bench: release
	python3 bench/bench.py --events $(or $(EVENTS),1000000) --runs $(or $(RUNS),3)

# Instruction counts per event with callgrind (repeatable where times are not); needs valgrind.
profile: deps
	bench/profile.sh $(or $(EVENTS),20000)

clean:
	rm -rf .build
