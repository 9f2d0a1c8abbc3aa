#!/usr/bin/env bash
# Builds the libFuzzer targets with ASan and runs each for FUZZ_SECONDS (default 60) over its
# committed seed corpus; exits 1 when any target found a crash, a timeout or an out-of-memory,
# leaving the input in Fuzz/Findings/<target>/. Usage: Fuzz/run.sh [target ...] (default: all).
# See docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
SECONDS_EACH=${FUZZ_SECONDS:-60}
BUILD=.build-fuzz
ALL_TARGETS=(json events regex yaml rules condition config)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

# Per target: the dictionary and the largest input worth generating.
dictionary() {
    case $1 in
        json | events) echo json ;;
        regex) echo regex ;;
        condition) echo condition ;;
        *) echo yaml ;;
    esac
}
max_len() {
    case $1 in
        regex) echo 512 ;;
        condition) echo 2048 ;;
        events | rules) echo 16384 ;;
        *) echo 8192 ;;
    esac
}

for target in "${TARGETS[@]}"; do
    [ -d "Fuzz/Corpus/$target" ] || { echo "fuzz: unknown target '$target' (${ALL_TARGETS[*]})" >&2; exit 2; }
done

# The fuzz executables exist only with AUDITWATCH_FUZZ=1 (Package.swift); their own build
# directory keeps the sanitizer build apart from the normal one.
mkdir -p "$BUILD/logs"
for target in "${TARGETS[@]}"; do
    echo "fuzz: building fuzz-$target (log: $BUILD/logs/build-$target.log)"
    if ! AUDITWATCH_FUZZ=1 "$SWIFT" build -c release --build-path "$BUILD" \
        -Xswiftc -sanitize=fuzzer,address --product "fuzz-$target" >"$BUILD/logs/build-$target.log" 2>&1; then
        grep -v "Cannot export local symbol" "$BUILD/logs/build-$target.log" | tail -20 >&2
        echo "fuzz: building fuzz-$target failed" >&2
        exit 2
    fi
done

# FUZZ_KEEP_GOING=1: fork mode, which goes on after a crash (to find more than the first one).
keep_going=()
[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

# Swift's own crash backtracer would race ASan's report; leaks at exit are the runtime's caches.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

failed=()
summary=()
for target in "${TARGETS[@]}"; do
    corpus="$BUILD/corpus/$target"     # what this machine's runs grew; never committed
    findings="Fuzz/Findings/$target"
    log="$BUILD/logs/$target.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    echo "fuzz: running $target for ${SECONDS_EACH}s (log: $log)"
    touch "$BUILD/logs/$target.start"   # findings of earlier runs stay, and do not count again
    "$BUILD/release/fuzz-$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$target")" -dict="Fuzz/Dictionaries/$(dictionary "$target").dict" \
        -print_final_stats=1 ${keep_going[@]+"${keep_going[@]}"} -artifact_prefix="$findings/" \
        "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1
    status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -z "$executions" ] && executions=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    found=$(find "$findings" -type f -newer "$BUILD/logs/$target.start" \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    line="$target: ${executions:-?} executions, ${coverage:-no coverage line}, exit $status"
    if [ $status -ne 0 ] || [ -n "$found" ]; then
        failed+=("$target")
        line="$line — FOUND: ${found:-see $log}"
        grep -E 'ERROR: |SUMMARY: |Fatal error|runtime failure' "$log" | head -5
    fi
    summary+=("$line")
done

echo
echo "fuzz summary (${SECONDS_EACH}s per target):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in ${failed[*]}; replay one with $BUILD/release/fuzz-<target> <file> (docs/fuzzing.md)" >&2
    exit 1
fi
