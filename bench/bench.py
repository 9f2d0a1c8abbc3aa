#!/usr/bin/env python3
"""`make bench`: auditwatch against the tools a user would pick instead, on the same file.

Generates (or reuses) bench/data/events-<N>.jsonl with `auditwatch generate`, then measures,
median of --runs runs, whole process including start-up:
  - auditwatch backtest with the full shipped rule pack (one thread, then two),
  - auditwatch backtest with one simple rule (type == login.failed),
  - jq and Python (orjson, else json) running the same simple filter, when present,
and prints events/s, MB/s, peak RSS and the ratios. Then the other targets: start-up, `rules
test` of the shipped pack, peak memory as the input grows (1x and 10x N events, streamed from
`generate` through a pipe), and the correlation state of N random identities (a spray: each
event a new user and a new IP). Numbers only: nothing here passes or fails.
"""
import argparse
import os
import random
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


def measure_pipe(producer, consumer):
    """Runs `producer | consumer`; returns (seconds, the consumer's peak RSS in MiB)."""
    start = time.perf_counter()
    first = subprocess.Popen(producer, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    second = subprocess.Popen(consumer, stdin=first.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first.stdout.close()
    _, status, usage = os.wait4(second.pid, 0)
    first.wait()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(consumer)} failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def write_spray(path, count):
    """`count` failed sign-ins, each from a new user and a new IP address, all within nine
    minutes: every event opens a new group in each of the three correlations that group
    failed sign-ins by user or by address, and every group stays live (inside its window)."""
    rng = random.Random(42)
    with open(path + ".tmp", "w") as output:
        for index in range(count):
            user = f"u{rng.getrandbits(48):012x}"
            address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" if index % 2 else f"2001:db8::{index:x}"
            output.write(
                '{"id":"audit_log-spray%09d","object":"organization.audit_log","type":"login.failed","effective_at":%d,'
                '"actor":{"type":"session","session":{"user":{"id":"user-%s","email":"%s@corp.example"},"ip_address":"%s"}},'
                '"login.failed":{"error_code":"invalid_credentials"}}\n' % (index, 1773705600 + index * 540 // count, user, user, address))
    os.rename(path + ".tmp", path)


def median_seconds(command, runs):
    return statistics.median(measure(command)[0] for _ in range(runs))


def other_targets(arguments, data, pack):
    print("other targets:")
    startup = median_seconds([BINARY, "rules", "validate", pack], max(arguments.runs, 5))
    print(f"  {'start-up (rules validate, full pack)':44} {startup * 1000:7.0f} ms", flush=True)
    rules_test = median_seconds([BINARY, "rules", "test", pack], max(arguments.runs, 5))
    print(f"  {'rules test of the shipped pack':44} {rules_test * 1000:7.0f} ms", flush=True)
    for scale in (1, 10):
        count = arguments.events * scale
        seconds, rss = measure_pipe([BINARY, "generate", "--events", str(count), "--seed", "42"],
                                    [BINARY, "backtest", "--threads", "1", "--events", "-", "--rules", pack, "--output", "jsonl"])
        print(f"  {f'peak memory, {count} events streamed, full pack':44} {rss:7.0f} MiB  ({seconds:.0f} s, generator-bound)", flush=True)
    _, empty = measure([BINARY, "run", "--events", os.devnull, "--rules", pack])
    identities = arguments.events
    for count in (identities // 3 + 1, identities):
        spray = os.path.join(ROOT, "bench", "data", f"spray-{count}.jsonl")
        if not os.path.exists(spray):
            write_spray(spray, count)
        base = [BINARY, "run", "--events", spray, "--rules", pack, "--output", "jsonl"]
        groups = 3 * count   # brute_force_user, brute_force_source_ip, password_spray
        _, uncapped = measure(base + ["--max-groups-per-rule", str(count + 1)])
        print(f"  {f'{groups} live groups ({count} random identities)':44} {uncapped:7.0f} MiB peak, "
              f"{(uncapped - empty) * 1048576 / groups:.0f} bytes per group", flush=True)
        if count == identities:
            _, capped = measure(base)
            print(f"  {f'the same at the default cap (100000)':44} {capped:7.0f} MiB peak: bounded, the oldest groups evicted", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-targets", action="store_true", help="only the throughput comparison")
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
        ("auditwatch, one rule, 2 threads", [BINARY, "backtest", "--threads", "2", "--events", data, "--rules", one_rule, "--output", "jsonl"], None),
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
    print(f"  {'two threads on one rule':34} {simple / results['auditwatch, one rule, 2 threads']:6.2f}x faster than one")
    if not arguments.skip_targets:
        other_targets(arguments, data, pack)


if __name__ == "__main__":
    main()
