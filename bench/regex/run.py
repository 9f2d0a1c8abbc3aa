#!/usr/bin/env python3
"""`make bench-regex`: auditwatch's regex engine against RE2 on the same patterns and strings.

Patterns: every `|re` value of the shipped pack and, when ../shared/data/sigmahq-rules.tar.xz is
there, of the SigmaHQ corpus. Strings: every string value of `auditwatch generate` events. Both
engines answer match/no-match for every pattern x string (`RE2::PartialMatch` vs
`LinearRegex.matches`, an unanchored search each); the figures are ns per pattern x string, and
the patterns whose match counts differ are listed. Needs g++ and libre2-dev. Numbers only.
"""
import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "bench", "data", "regex")
TARBALL = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "sigmahq-rules.tar.xz"))


def regex_values(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and "re" in key.split("|")[1:]:
                flag = "i" if "i" in key.split("|")[1:] else "-"
                for item in value if isinstance(value, list) else [value]:
                    found.append(flag + str(item))
            regex_values(value, found)
    elif isinstance(node, list):
        for item in node:
            regex_values(item, found)


def patterns_from(folder):
    import yaml
    found = []
    for base, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name.endswith(".yml"):
                with open(os.path.join(base, name), encoding="utf-8") as handle:
                    for document in yaml.safe_load_all(handle):
                        if isinstance(document, dict) and "detection" in document:
                            regex_values(document["detection"], found)
    return found


def strings_of(node, found):
    if isinstance(node, str):
        if "\0" not in node:
            found.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            strings_of(value, found)
    elif isinstance(node, list):
        for value in node:
            strings_of(value, found)


def write_records(path, records):
    with open(path, "wb") as handle:
        for record in records:
            handle.write(record.encode("utf-8") + b"\0")


def build():
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["g++", "-O2", "-std=c++17", os.path.join(HERE, "re2_bench.cc"), "-o",
                    os.path.join(OUT, "re2_bench"), "-lre2"], check=True)
    sources = sorted(os.path.join(ROOT, "Sources", "AuditwatchCore", "Regex", name)
                     for name in os.listdir(os.path.join(ROOT, "Sources", "AuditwatchCore", "Regex")))
    subprocess.run(["swiftc", "-O", "-wmo", "-module-name", "RegexBench", *sources, os.path.join(HERE, "main.swift"),
                    "-o", os.path.join(OUT, "regex_bench")], check=True)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", os.path.join(HERE, "malloc_count.c"), "-o",
                    os.path.join(OUT, "malloc_count.so")], check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    build()
    binary = next(path for path in (os.path.join(ROOT, ".build", "release", "auditwatch"),
                                    os.path.join(ROOT, ".build", "debug", "auditwatch")) if os.path.exists(path))
    events = subprocess.run([binary, "generate", "--events", str(args.events)], check=True,
                            capture_output=True, text=True).stdout.splitlines()
    inputs = []
    for line in events:
        strings_of(json.loads(line), inputs)
    sets = {"pack": patterns_from(os.path.join(ROOT, "rules"))}
    if os.path.exists(TARBALL):
        with tempfile.TemporaryDirectory() as folder:
            with tarfile.open(TARBALL) as archive:
                archive.extractall(folder)
            sets["sigmahq"] = patterns_from(folder)
    write_records(os.path.join(OUT, "inputs.bin"), inputs)
    for name, patterns in sets.items():
        path = os.path.join(OUT, f"patterns-{name}.bin")
        write_records(path, patterns)
        results = {}
        for engine, command, env in (
                ("re2", [os.path.join(OUT, "re2_bench")], None),
                ("auditwatch", [os.path.join(OUT, "regex_bench")],
                 dict(os.environ, LD_PRELOAD=os.path.join(OUT, "malloc_count.so")))):
            counts = os.path.join(OUT, f"counts-{name}-{engine}.txt")
            output = subprocess.run([*command, path, os.path.join(OUT, "inputs.bin"), str(args.rounds), counts],
                                    check=True, capture_output=True, text=True, env=env).stdout
            figures = json.loads(output)
            with open(counts) as handle:
                figures["counts"] = dict(tuple(map(int, line.split())) for line in handle)
            results[engine] = figures
            shown = {key: value for key, value in figures.items() if key != "counts"}
            print(f"{name}: {json.dumps(shown)}")
        ours, theirs = results["auditwatch"]["counts"], results["re2"]["counts"]
        differing = [index for index in ours if index in theirs and ours[index] != theirs[index]]
        only_ours = [index for index in ours if index not in theirs]
        ratio = results["auditwatch"]["ns_per_match"] / max(results["re2"]["ns_per_match"], 1e-9)
        print(f"{name}: {len(patterns)} patterns x {len(inputs)} strings; auditwatch/RE2 time per match {ratio:.1f}x; "
              f"RE2 refuses {len(only_ours)} that auditwatch compiles; match counts differ on {len(differing)}")
        for index in differing + only_ours:
            print(f"  {patterns[index][1:]!r} ({patterns[index][0]}): auditwatch {ours.get(index)}, RE2 {theirs.get(index)}")


if __name__ == "__main__":
    sys.exit(main())
