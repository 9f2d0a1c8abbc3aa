#!/usr/bin/env python3
"""`make bench`: auditwatch against the tools a user would pick instead, on the same file.

Generates (or reuses) bench/data/events-<N>.jsonl with `auditwatch generate`, then measures,
median of --runs runs, whole process including start-up:
  - auditwatch backtest with the full shipped rule pack,
  - auditwatch backtest with one simple rule (type == login.failed),
  - jq and Python (orjson, else json) running the same simple filter, when present,
and prints events/s, MB/s, peak RSS and the ratios. Numbers only: nothing here passes or fails.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "auditwatch")


def measure(command, stdin_path=None):
    """Runs `command` (output discarded); returns (seconds, peak RSS in MiB)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if stdin_path:
        stdin.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()

    data = os.path.join(ROOT, "bench", "data", f"events-{arguments.events}.jsonl")
    if not os.path.exists(data):
        os.makedirs(os.path.dirname(data), exist_ok=True)
        print(f"generating {arguments.events} events (seed 42) into {os.path.relpath(data, ROOT)}", flush=True)
        with open(data + ".tmp", "wb") as output:
            subprocess.run([BINARY, "generate", "--events", str(arguments.events), "--seed", "42"], stdout=output, check=True)
        os.rename(data + ".tmp", data)
    size_mb = os.path.getsize(data) / 1e6
    python_filter = (
        "import sys\ntry:\n import orjson as j\nexcept ImportError:\n import json as j\n"
        "n=0\nfor line in sys.stdin.buffer:\n if j.loads(line)['type']=='login.failed': n+=1\nprint(n)\n"
    )
    pack = os.path.join(ROOT, "rules")
    one_rule = os.path.join(ROOT, "bench", "rules", "login_failed.yml")
    workloads = [
        ("auditwatch, full shipped pack", [BINARY, "backtest", "--threads", "1", "--events", data, "--rules", pack, "--output", "jsonl"], None),
        ("auditwatch, one simple rule", [BINARY, "backtest", "--threads", "1", "--events", data, "--rules", one_rule, "--output", "jsonl"], None),
        ("auditwatch, full pack, 2 threads", [BINARY, "backtest", "--threads", "2", "--events", data, "--rules", pack, "--output", "jsonl"], None),
    ]
    if shutil.which("jq"):
        workloads.append(("jq, the same simple filter", ["jq", "-c", 'select(.type == "login.failed")'], data))
    workloads.append(("python, the same simple filter", [sys.executable, "-c", python_filter], data))

    print(f"{arguments.events} events, {size_mb:.1f} MB, median of {arguments.runs} runs, {os.cpu_count()} cores")
    results = {}
    for name, command, stdin in workloads:
        runs = [measure(command, stdin) for _ in range(arguments.runs)]
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        results[name] = seconds
        print(f"  {name:34} {arguments.events / seconds / 1e3:9.0f} k events/s {size_mb / seconds:8.0f} MB/s {rss:7.0f} MiB peak", flush=True)
    simple = results["auditwatch, one simple rule"]
    print("ratios (auditwatch one rule vs.):")
    for name, seconds in results.items():
        if not name.startswith("auditwatch"):
            print(f"  {name:34} {seconds / simple:6.2f}x")
    print(f"  {'auditwatch full pack':34} {results['auditwatch, full shipped pack'] / simple:6.2f}x the one-rule time")
    print(f"  {'two threads on the full pack':34} {results['auditwatch, full shipped pack'] / results['auditwatch, full pack, 2 threads']:6.2f}x faster than one")


if __name__ == "__main__":
    main()
