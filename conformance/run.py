#!/usr/bin/env python3
"""Differential conformance test: auditwatch against pySigma + pysigma-backend-sqlite.

For each seed: generate events and rules, compute each rule's matched event ids with the
reference (SQLite) and with `auditwatch run`, and compare rule by rule; then the same for
generated correlations, comparing which groups fire and when. A disagreement fails the run
unless an intended difference (differences.INTENDED, rows of docs/sigma-conformance.md)
explains it. Exit status 0 when every case agrees or is explained, 1 otherwise.

    python3 conformance/run.py --seeds 1-3 --rules 150 --events 120 --correlations 30
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from correlations import generate_correlations  # noqa: E402
from differences import INTENDED, REFUSALS, classify, classify_refusal  # noqa: E402
from generate import generate_events, generate_rules, rule_yaml  # noqa: E402
from reference import Reference  # noqa: E402


def seeds(text: str) -> list[int]:
    result = []
    for part in text.split(","):
        if "-" in part:
            low, high = part.split("-")
            result.extend(range(int(low), int(high) + 1))
        else:
            result.append(int(part))
    return result


def write_jsonl(path: str, events: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for event in sorted(events, key=lambda e: (e["effective_at"], e["id"])):
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")


class Auditwatch:
    def __init__(self, binary: str):
        self.binary = binary

    def refused(self, rules_dir: str) -> dict[str, str]:
        """Rule files auditwatch refuses to load, with the first error of each."""
        result = subprocess.run([self.binary, "rules", "validate", "--format", "json", rules_dir],
                                capture_output=True, text=True)
        if result.returncode not in (0, 2):
            raise RuntimeError(f"auditwatch rules validate failed ({result.returncode}): {result.stderr[:3000]}")
        errors = {}
        for item in json.loads(result.stdout or "[]"):
            if item["severity"] == "error":
                errors.setdefault(os.path.basename(item["file"]), item["message"])
        return errors

    def alerts(self, rules_dir: str, events_path: str) -> list[dict]:
        result = subprocess.run([self.binary, "run", "--rules", rules_dir, "--events", events_path,
                                 "--output", "jsonl"], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"auditwatch run failed ({result.returncode}): {result.stderr[:3000]}")
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def rule_forms(rule) -> set[str]:
    """What a rule exercises: its modifiers, value forms and condition forms."""
    forms = set()
    for item in rule.items():
        forms.update(item.modifiers or ["plain"])
        for value in item.values:
            if value is None:
                forms.add("null")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                forms.add("number")
            elif isinstance(value, str):
                if any(c in value for c in "*?") and not item.modifiers:
                    forms.add("wildcard")
                if "\\" in value:
                    forms.add("escape")
                if not value.isascii():
                    forms.add("non-ascii")
        if item.is_list:
            forms.add("list")
    for word in ("not", " and ", " or ", "(", "1 of", "all of", "them"):
        if word in rule.condition:
            forms.add("condition:" + word.strip())
    return forms


class Report:
    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.cases = 0
        self.agreed = 0
        self.explained = collections.Counter()  # cases per intended difference
        self.explained_cases = 0
        self.coverage = collections.Counter()  # modifier or form -> rules where it decided something
        self.failures: list[str] = []

    def fail(self, text: str) -> None:
        self.failures.append(text)


def single_event_rules(seed: int, args, aw: Auditwatch, work: str, report: Report) -> None:
    rng = random.Random(seed)
    events = generate_events(rng, args.events)
    rules = generate_rules(rng, args.rules, events)
    reference = Reference(events)
    by_id = {event["id"]: event for event in events}
    directory = os.path.join(work, f"seed{seed}")
    all_dir, run_dir = os.path.join(directory, "all"), os.path.join(directory, "run")
    os.makedirs(all_dir)
    os.makedirs(run_dir)
    events_path = os.path.join(directory, "events.jsonl")
    write_jsonl(events_path, events)
    for rule in rules:
        with open(os.path.join(all_dir, rule.name + ".yml"), "w", encoding="utf-8") as handle:
            handle.write(rule_yaml(rule))
    refused = aw.refused(all_dir)
    for rule in rules:
        if rule.name + ".yml" not in refused:
            shutil.copy(os.path.join(all_dir, rule.name + ".yml"), run_dir)
    ours: dict[str, set[str]] = collections.defaultdict(set)
    for alert in aw.alerts(run_dir, events_path):
        ours[alert["rule"]["id"]].update(alert["events"])
    for rule in rules:
        report.cases += 1
        expected = reference.matches(rule_yaml(rule))
        where = f"seed {seed} {rule.name} ({os.path.join(all_dir, rule.name + '.yml')})"
        ours_refused = refused.get(rule.name + ".yml")
        if isinstance(expected, str) or ours_refused:
            if isinstance(expected, str) and ours_refused:
                report.agreed += 1
            elif classify_refusal(rule):
                report.explained.update(classify_refusal(rule))
                report.explained_cases += 1
            else:
                report.fail(f"{where}: pySigma {'refuses: ' + expected if isinstance(expected, str) else 'accepts'};"
                            f" auditwatch {'refuses: ' + ours_refused if ours_refused else 'accepts'}")
            continue
        got = ours.get(rule.rule_id, set())
        if 0 < len(expected) < len(events):
            report.coverage.update(rule_forms(rule))
        if got == expected:
            report.agreed += 1
            continue
        unexplained = []
        reasons_seen = set()
        for event_id in sorted(got ^ expected):
            reasons = classify(rule, by_id[event_id], reference.renumbered, reference.renumbers)
            if reasons:
                reasons_seen.update(reasons)
            else:
                unexplained.append(f"{event_id} ({'auditwatch only' if event_id in got else 'reference only'})")
        if unexplained:
            report.fail(f"{where}: condition '{rule.condition}': " + ", ".join(unexplained[:5]) +
                        (f" and {len(unexplained) - 5} more" if len(unexplained) > 5 else ""))
        else:
            report.explained.update(reasons_seen)
            report.explained_cases += 1
            if report.verbose:
                print(f"explained {where}: {sorted(reasons_seen)}")


def correlation_cases(seed: int, args, aw: Auditwatch, work: str, report: Report) -> None:
    rng = random.Random(seed * 7919 + 1)
    cases = generate_correlations(rng, args.correlations)
    directory = os.path.join(work, f"corr{seed}")
    rules_dir = os.path.join(directory, "rules")
    os.makedirs(rules_dir)
    all_events = []
    for index, case in enumerate(cases):
        # Cases lie 100000 s apart, far beyond any timespan, so they never see each other.
        for event in case.events:
            event["effective_at"] += index * 100000
        all_events.extend(case.events)
        with open(os.path.join(rules_dir, case.name + ".yml"), "w", encoding="utf-8") as handle:
            handle.write(case.yaml())
    events_path = os.path.join(directory, "events.jsonl")
    write_jsonl(events_path, all_events)
    refused = aw.refused(rules_dir)
    for name in refused:
        os.rename(os.path.join(rules_dir, name), os.path.join(directory, name))
    ours = collections.defaultdict(list)
    for alert in aw.alerts(rules_dir, events_path):
        ours[alert["rule"]["id"]].append(alert)
    for case in cases:
        report.cases += 1
        where = f"seed {seed} {case.name} ({os.path.join(directory, case.name + '.yml')})"
        expected = Reference(case.events).correlation_alerts(case.yaml())
        if isinstance(expected, str) or case.name + ".yml" in refused:
            if isinstance(expected, str) and case.name + ".yml" in refused:
                report.agreed += 1
            else:
                report.fail(f"{where}: pySigma {'refuses: ' + expected if isinstance(expected, str) else 'accepts'};"
                            f" auditwatch {'refuses: ' + refused[case.name + '.yml'] if case.name + '.yml' in refused else 'accepts'}")
            continue
        reference_firings = collections.defaultdict(set)
        for row in expected:
            keys = json.loads(row["group_keys"]) if isinstance(row["group_keys"], str) else row["group_keys"]
            group = tuple(str(keys.get(field)).lower() for field in case.group_by)
            reference_firings[group].add(int(row["occurrence_time"]))
        our_firings = collections.defaultdict(set)
        for alert in ours.get(case.rule_id, []):
            if not all(event_id.startswith(case.name + "-") for event_id in alert["events"]):
                continue  # every case's base rules see every case's events; keep this case's own
            group = tuple(str(alert["group"].get(field)).lower() for field in case.group_by)
            our_firings[group].add(int(alert["last_at"]))
        problems = []
        for group in sorted(set(reference_firings) | set(our_firings)):
            theirs, mine = reference_firings.get(group, set()), our_firings.get(group, set())
            if not theirs or not mine:
                problems.append(f"group {group}: {'only the reference' if theirs else 'only auditwatch'} fires"
                                f" (at {sorted(theirs or mine)[:3]})")
            elif min(theirs) != min(mine):
                problems.append(f"group {group}: first firing at {min(theirs)} (reference) vs {min(mine)}")
            elif not mine <= theirs:
                problems.append(f"group {group}: auditwatch fires at {sorted(mine - theirs)[:3]}, "
                                "where the reference's condition does not hold")
        if not problems:
            report.agreed += 1
        elif case.owned_by:
            report.explained[case.owned_by] += 1
            report.explained_cases += 1
            if report.verbose:
                print(f"explained {where} ({case.owned_by}): {problems}")
        else:
            report.fail(f"{where}: {case.kind}: " + "; ".join(problems[:3]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="1-2")
    parser.add_argument("--rules", type=int, default=120)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--correlations", type=int, default=20)
    parser.add_argument("--binary", default=".build/debug/auditwatch")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    table = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "sigma-conformance.md")
    with open(table, encoding="utf-8") as handle:
        rows = handle.read()
    missing = [name for name in list(INTENDED) + list(REFUSALS) if f"`{name}`" not in rows]
    if missing:
        print(f"intended differences without a row in docs/sigma-conformance.md: {missing}", file=sys.stderr)
        return 1
    report = Report(args.verbose)
    aw = Auditwatch(os.path.abspath(args.binary))
    work = tempfile.mkdtemp(prefix="aw-conformance-")
    try:
        for seed in seeds(args.seeds):
            single_event_rules(seed, args, aw, work, report)
            correlation_cases(seed, args, aw, work, report)
    finally:
        if not args.keep and not report.failures:
            shutil.rmtree(work, ignore_errors=True)
    explained = report.explained_cases
    if args.verbose:
        print("rules deciding something, by form: " +
              ", ".join(f"{k} {v}" for k, v in sorted(report.coverage.items())))
    print(f"conformance: {report.cases} cases, {report.agreed} agree, {explained} differ as intended"
          f" ({', '.join(f'{k}: {v}' for k, v in sorted(report.explained.items())) or 'none'}),"
          f" {len(report.failures)} unexplained")
    for name in sorted(report.explained):
        if name not in INTENDED and name not in REFUSALS:
            print(f"unnamed difference {name}", file=sys.stderr)
            return 1
    for failure in report.failures:
        print("DIFFERENT " + failure)
    if report.failures:
        print(f"generated files kept in {work}; intended differences are listed in conformance/differences.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
