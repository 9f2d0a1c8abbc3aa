#!/usr/bin/env bash
# Instruction counts (repeatable on a shared machine, unlike times) for the full shipped pack
# and one simple rule over the first N generated events, with callgrind, plus each run's
# most expensive functions. Usage: bench/profile.sh [N]   (default 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-20000}"
command -v valgrind >/dev/null || { echo "profile: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
swift build -c release --product auditwatch >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF of current Swift releases: profile a copy without it
# (the symbol table stays, so functions keep their names).
objcopy --strip-debug .build/release/auditwatch "$work/auditwatch"
.build/release/auditwatch generate --events "$events" --seed 42 > "$work/events.jsonl"
: > "$work/empty.jsonl"
count() {  # label, rules, events file
    valgrind --tool=callgrind --callgrind-out-file="$work/$1.out" "$work/auditwatch" backtest --threads 1 \
        --rules "$2" --events "$3" --output jsonl 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}
for workload in "full-pack:rules" "one-rule:bench/rules/login_failed.yml"; do
    label="${workload%%:*}"; rules="${workload#*:}"
    startup=$(count "$label-startup" "$rules" "$work/empty.jsonl")
    total=$(count "$label" "$rules" "$work/events.jsonl")
    echo "$label: $total instructions in all, $startup for start-up alone, $(( (total - startup) / events )) per event"
    callgrind_annotate "$work/$label.out" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '2,13p' \
        | { command -v swift-demangle >/dev/null && swift-demangle --simplified || swift demangle --simplified; } | cut -c1-140
done
