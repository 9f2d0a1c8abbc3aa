#!/usr/bin/env bash
# Instruction counts (repeatable on a shared machine, unlike times) for the full shipped pack,
# one simple rule and, when scripts/generate-rules.py exists, 1,000 generated rules, over the
# first N generated events, with callgrind, plus each run's most expensive functions (inclusive
# and self). Usage: bench/profile.sh [N]   (default 20000)
# PROFILE_BINARY=path profiles that binary instead of building this tree's release one (to
# compare a change with the binary before it on the same events).
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-20000}"
command -v valgrind >/dev/null || { echo "profile: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
binary="${PROFILE_BINARY:-}"
if [ -z "$binary" ]; then
    swift build -c release --product auditwatch >/dev/null
    binary=.build/release/auditwatch
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF of current Swift releases: profile a copy without it
# (the symbol table stays, so functions keep their names).
objcopy --strip-debug "$binary" "$work/auditwatch"
"$binary" generate --events "$events" --seed 42 > "$work/events.jsonl"
: > "$work/empty.jsonl"
count() {  # label, rules, events file
    valgrind --tool=callgrind --callgrind-out-file="$work/$1.out" "$work/auditwatch" backtest --threads 1 \
        --rules "$2" --events "$3" --output jsonl 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}
demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else swift demangle --simplified; fi; }
workloads=("full-pack:rules" "one-rule:bench/rules/login_failed.yml")
if [ -f scripts/generate-rules.py ]; then
    python3 scripts/generate-rules.py --count 1000 --seed 42 --out "$work/rules-1000" >/dev/null
    workloads+=("1000-generated:$work/rules-1000")
fi
for workload in "${workloads[@]}"; do
    label="${workload%%:*}"; rules="${workload#*:}"
    startup=$(count "$label-startup" "$rules" "$work/empty.jsonl")
    total=$(count "$label" "$rules" "$work/events.jsonl")
    echo "$label: $total instructions in all, $startup for start-up alone, $(( (total - startup) / events )) per event"
    echo "  self (instructions in the function itself):"
    callgrind_annotate "$work/$label.out" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '3,16p' \
        | demangle | cut -c1-150 | sed 's/^/    /'
    echo "  inclusive (with what it calls):"
    callgrind_annotate --inclusive=yes "$work/$label.out" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '3,24p' \
        | demangle | cut -c1-150 | sed 's/^/    /'
done
