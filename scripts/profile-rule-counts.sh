#!/usr/bin/env bash
# The cost of generated rule sets (scripts/generate-rules.py, seed 1, not keyed on `type`) by rule
# count: callgrind instructions per event (repeatable on a shared machine) and wall-clock events/s
# of `backtest --threads 1 --output jsonl` over `auditwatch generate --seed 42` events.
# Usage: scripts/profile-rule-counts.sh BINARY [COUNTS] [PROFILE_EVENTS] [WALL_EVENTS]
#   COUNTS "10 100 1000 3000", PROFILE_EVENTS 20000 (callgrind), WALL_EVENTS 200000 (0: no timing).
# Several BINARY=... runs with the same arguments compare builds (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
binary="$1"
counts="${2:-10 100 1000 3000}"
profile_events="${3:-20000}"
wall_events="${4:-200000}"
command -v valgrind >/dev/null || { echo "profile-rule-counts: valgrind is needed" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF of current Swift releases: profile a copy without it.
objcopy --strip-debug "$binary" "$work/auditwatch"
"$binary" generate --events "$profile_events" --seed 42 > "$work/profile.jsonl"
[ "$wall_events" -gt 0 ] && "$binary" generate --events "$wall_events" --seed 42 > "$work/wall.jsonl"
: > "$work/empty.jsonl"
instructions() {  # rules, events file
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/auditwatch" backtest --threads 1 \
        --rules "$1" --events "$2" --output jsonl 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}
for count in $counts; do
    rules="$work/rules-$count"
    python3 scripts/generate-rules.py --count "$count" --seed 1 --out "$rules"
    startup=$(instructions "$rules" "$work/empty.jsonl")
    total=$(instructions "$rules" "$work/profile.jsonl")
    line="rules $count: $(( (total - startup) / profile_events )) instructions per event (callgrind, $profile_events events, start-up $startup)"
    if [ "$wall_events" -gt 0 ]; then
        start=$(date +%s.%N)
        "$binary" backtest --threads 1 --rules "$rules" --events "$work/wall.jsonl" --output jsonl > "$work/alerts.jsonl" 2>/dev/null
        end=$(date +%s.%N)
        alerts=$(wc -l < "$work/alerts.jsonl")
        line="$line; $(python3 -c "print(f'{$wall_events / ($end - $start) / 1000:.0f} k events/s')") wall ($wall_events events, $alerts alerts)"
    fi
    echo "$line"
done
