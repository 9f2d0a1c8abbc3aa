#!/usr/bin/env python3
"""`make bench`: auditwatch against the tools a user would pick instead, on the same file.

Generates (or reuses) bench/data/events-<N>.jsonl with `auditwatch generate --seed 42`, then
measures, median of --runs runs, whole process including start-up, one thread and two:
  - auditwatch backtest with the full shipped rule pack,
  - auditwatch backtest with one simple rule (type == login.failed),
  - auditwatch backtest with 10, 100, 1,000 and 3,000 generated rules
    (`scripts/generate-rules.py --count N --seed 42 --out DIR`; "generator missing" without it),
  - Python + orjson, jq and a simdjson on-demand filter (C++, built here against Debian's
    libsimdjson-dev) running the same simple filter on the same file,
and prints events/s, MB/s, peak RSS and the ratios of that run. Then the other targets: start-up,
`rules test` of the shipped pack, peak memory at 1x and 10x N events (streamed from `generate`
through a pipe), and the correlation state of about 1 M live groups (a spray of random
identities: each event a new user and a new IP). Numbers only: nothing here passes or fails.
"""
import argparse
import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# AUDITWATCH_BINARY=path measures that binary (e.g. one built elsewhere) instead of this tree's.
BINARY = os.environ.get("AUDITWATCH_BINARY") or os.path.join(ROOT, ".build", "release", "auditwatch")
DATA = os.path.join(ROOT, "bench", "data")
GENERATOR = os.path.join(ROOT, "scripts", "generate-rules.py")
RULE_COUNTS = (10, 100, 1000, 3000)
PYTHON_FILTER = (
    "import sys\ntry:\n import orjson as j\nexcept ImportError:\n import json as j\n"
    "n=0\nfor line in sys.stdin.buffer:\n if j.loads(line)['type']=='login.failed': n+=1\nprint(n)\n"
)


def measure(command, stdin_path=None):
    """Runs `command` (output discarded); returns (seconds, peak RSS in MiB, CPU seconds)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if stdin_path:
        stdin.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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


def simdjson_filter():
    """Builds bench/data/simdjson-filter from bench/simdjson/filter.cc; None when it cannot."""
    source = os.path.join(ROOT, "bench", "simdjson", "filter.cc")
    binary = os.path.join(DATA, "simdjson-filter")
    if os.path.exists(binary) and os.path.getmtime(binary) >= os.path.getmtime(source):
        return binary
    compiler = shutil.which("g++") or shutil.which("c++")
    if not compiler or not os.path.exists("/usr/include/simdjson.h"):
        return None
    built = subprocess.run([compiler, "-O3", "-std=c++17", source, "-o", binary, "-lsimdjson"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if built.returncode != 0:
        print(f"  (simdjson filter did not build: {built.stderr.strip().splitlines()[-1:]})")
        return None
    return binary


def generated_rules(count):
    """The directory of `count` generated rules (seed 42), or None without the generator."""
    if not os.path.exists(GENERATOR):
        return None
    directory = os.path.join(DATA, f"rules-{count}")
    if not os.path.isdir(directory):
        subprocess.run([sys.executable, GENERATOR, "--count", str(count), "--seed", "42", "--out", directory + ".tmp"],
                       check=True, stdout=subprocess.DEVNULL)
        os.rename(directory + ".tmp", directory)
    return directory


def median_seconds(command, runs):
    return statistics.median(measure(command)[0] for _ in range(runs))


def other_targets(arguments, pack):
    print("other targets:")
    startup = median_seconds([BINARY, "rules", "validate", pack], max(arguments.runs, 5))
    print(f"  {'start-up (rules validate, full pack)':44} {startup * 1000:7.0f} ms", flush=True)
    thousand = generated_rules(1000)
    if thousand:
        startup = median_seconds([BINARY, "rules", "validate", thousand], max(arguments.runs, 5))
        print(f"  {'start-up (rules validate, 1,000 generated)':44} {startup * 1000:7.0f} ms", flush=True)
    rules_test = median_seconds([BINARY, "rules", "test", pack], max(arguments.runs, 5))
    print(f"  {'rules test of the shipped pack':44} {rules_test * 1000:7.0f} ms", flush=True)
    for scale in (1, 10):
        count = arguments.events * scale
        seconds, rss = measure_pipe([BINARY, "generate", "--events", str(count), "--seed", "42"],
                                    [BINARY, "backtest", "--threads", "1", "--events", "-", "--rules", pack, "--output", "jsonl"])
        print(f"  {f'peak memory, {count} events streamed, full pack':44} {rss:7.0f} MiB  ({seconds:.0f} s, generator-bound)", flush=True)
    _, empty, _ = measure([BINARY, "run", "--events", os.devnull, "--rules", pack])
    # Three correlations open a group per identity: a third of the live groups wanted.
    count = arguments.groups // 3 + 1
    spray = os.path.join(DATA, f"spray-{count}.jsonl")
    if not os.path.exists(spray):
        write_spray(spray, count)
    base = [BINARY, "run", "--events", spray, "--rules", pack, "--output", "jsonl"]
    groups = 3 * count   # brute_force_user, brute_force_source_ip, password_spray
    _, uncapped, _ = measure(base + ["--max-groups-per-rule", str(count + 1)])
    print(f"  {f'{groups} live groups ({count} random identities)':44} {uncapped:7.0f} MiB peak, "
          f"{(uncapped - empty) * 1048576 / groups:.0f} bytes per group (over the {empty:.0f} MiB of an empty run)", flush=True)
    _, capped, _ = measure(base)
    print(f"  {'the same at the default cap (100000)':44} {capped:7.0f} MiB peak: groups bounded by the cap (matches waiting for the watermark are not)", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--groups", type=int, default=1_000_000, help="live correlation groups for bytes per group")
    parser.add_argument("--rule-counts", default=",".join(map(str, RULE_COUNTS)),
                        help="the generated rule sets to run (comma-separated counts)")
    parser.add_argument("--skip-targets", action="store_true", help="only the throughput comparison")
    arguments = parser.parse_args()

    os.makedirs(DATA, exist_ok=True)
    data = os.path.join(DATA, f"events-{arguments.events}.jsonl")
    if not os.path.exists(data):
        print(f"generating {arguments.events} events (seed 42) into {os.path.relpath(data, ROOT)}", flush=True)
        with open(data + ".tmp", "wb") as output:
            subprocess.run([BINARY, "generate", "--events", str(arguments.events), "--seed", "42"], stdout=output, check=True)
        os.rename(data + ".tmp", data)
    size_mb = os.path.getsize(data) / 1e6
    pack = os.path.join(ROOT, "rules")
    one_rule = os.path.join(ROOT, "bench", "rules", "login_failed.yml")

    def backtest(rules, threads):
        return [BINARY, "backtest", "--threads", str(threads), "--events", data, "--rules", rules, "--output", "jsonl"]

    auditwatch = [("full shipped pack", pack), ("one simple rule", one_rule)]
    missing = []
    for count in (int(text) for text in arguments.rule_counts.split(",") if text):
        directory = generated_rules(count)
        if directory:
            auditwatch.append((f"{count:,} generated rules", directory))
        else:
            missing.append(count)
    workloads = []
    for name, rules in auditwatch:
        workloads.append((f"auditwatch, {name}, 1 thread", backtest(rules, 1), None))
        workloads.append((f"auditwatch, {name}, 2 threads", backtest(rules, 2), None))
    others = [("python + orjson, the simple filter", [sys.executable, "-c", PYTHON_FILTER], data)]
    if shutil.which("jq"):
        others.append(("jq, the simple filter", ["jq", "-c", 'select(.type == "login.failed")'], data))
    simdjson = simdjson_filter()
    if simdjson:
        others.append(("simdjson on-demand, the simple filter", [simdjson, data], None))
    workloads += others

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{now}, load average {load}, {os.cpu_count()} cores")
    print(f"{arguments.events} events, {size_mb:.1f} MB, median of {arguments.runs} runs (interleaved), whole process")
    # Interleaved: each round runs every workload once, so drift on this shared machine
    # spreads over all of them instead of favouring whichever ran when it was quiet.
    runs = {name: [] for name, _, _ in workloads}
    for _ in range(arguments.runs):
        for name, command, stdin in workloads:
            runs[name].append(measure(command, stdin))
    results, cpus = {}, {}
    for name, _, _ in workloads:
        seconds = statistics.median(r[0] for r in runs[name])
        cpu = statistics.median(r[2] for r in runs[name])
        rss = max(r[1] for r in runs[name])
        results[name], cpus[name] = seconds, cpu
        print(f"  {name:46} {arguments.events / seconds / 1e3:8.0f} k events/s {size_mb / seconds:7.0f} MB/s "
              f"{rss:6.0f} MiB peak {cpu:6.2f} s CPU ({arguments.events / cpu / 1e3:.0f} k events per CPU s)",
              flush=True)
    for count in missing:
        print(f"  {f'auditwatch, {count:,} generated rules':46} generator missing (scripts/generate-rules.py)")

    # Every auditwatch workload beside the one-filter tools: for the generated sets that says
    # what a thousand rules cost against a single filter written by hand.
    print("ratios in this run (speed of auditwatch / speed of the other; above 1: auditwatch faster):")
    for name, _ in auditwatch:
        for threads in (1, 2):
            label = f"{name}, {threads} thread{'s' if threads > 1 else ''}"
            mine = results[f"auditwatch, {label}"]
            line = "  ".join(f"{other.split(',')[0]} {results[other] / mine:5.2f}x" for other, _, _ in others)
            print(f"  {label:46} {line}")
    # On a busy machine each process gets a different share of a core; CPU seconds of the
    # single-threaded workloads say what each would take on a core of its own.
    print("the same by CPU time (single-threaded workloads; steadier when the machine is busy):")
    for name, _ in auditwatch:
        mine = cpus[f"auditwatch, {name}, 1 thread"]
        line = "  ".join(f"{other.split(',')[0]} {cpus[other] / mine:5.2f}x" for other, _, _ in others)
        print(f"  {name + ', 1 thread':46} {line}")
    full, simple = results["auditwatch, full shipped pack, 1 thread"], results["auditwatch, one simple rule, 1 thread"]
    print(f"  {'full pack time / one-rule time':46} {full / simple:5.2f}x")
    for name, _ in auditwatch:
        one, two = results[f"auditwatch, {name}, 1 thread"], results[f"auditwatch, {name}, 2 threads"]
        print(f"  {f'two threads vs one, {name}':46} {one / two:5.2f}x faster")
    generated = [name for name, _ in auditwatch[2:]]
    if len(generated) >= 2:
        first, last = generated[0], generated[-1]
        ratio = results[f"auditwatch, {last}, 1 thread"] / results[f"auditwatch, {first}, 1 thread"]
        print(f"  {f'{last} time / {first} time':46} {ratio:5.2f}x")
    if not arguments.skip_targets:
        other_targets(arguments, pack)


if __name__ == "__main__":
    main()
