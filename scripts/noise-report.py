#!/usr/bin/env python3
"""Prints the alerts of a run over a benign month per rule per day (from `run --output jsonl`),
and fails when the pack raised more alerts than the bound allows: on average at most
--max-per-day alerts a day over --days days.

    python3 scripts/noise-report.py --start 2026-06-01 --days 30 --max-per-day 1 alerts.jsonl
"""
import argparse
import collections
import datetime
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("alerts")
    parser.add_argument("--start", default="2026-06-01")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--max-per-day", type=float, default=1.0)
    parser.add_argument("--quiet", action="store_true", help="print only the total line")
    args = parser.parse_args()
    start = datetime.datetime.fromisoformat(args.start).replace(tzinfo=datetime.timezone.utc)
    table = collections.defaultdict(collections.Counter)
    total = 0
    with open(args.alerts) as lines:
        for line in lines:
            alert = json.loads(line)
            day = (datetime.datetime.fromtimestamp(alert["last_at"], datetime.timezone.utc) - start).days
            table[alert["rule"]["id"]][day] += 1
            total += 1
    bound = args.max_per_day * args.days
    if not args.quiet:
        width = max([len(rule) for rule in table] + [4])
        print("rule".ljust(width) + " " + " ".join("%2d" % (day + 1) for day in range(args.days)) + "  total")
        for rule in sorted(table):
            row = " ".join(("%2d" % table[rule][day]) if table[rule][day] else " ." for day in range(args.days))
            print(rule.ljust(width) + " " + row + "  %5d" % sum(table[rule].values()))
        per_day = [sum(table[rule][day] for rule in table) for day in range(args.days)]
        print("all".ljust(width) + " " + " ".join(("%2d" % n) if n else " ." for n in per_day) + "  %5d" % total)
    verdict = "within" if total <= bound else "OVER"
    print("benign month: %d alerts in %d days (%.2f a day), %s the bound of %g a day"
          % (total, args.days, total / args.days, verdict, args.max_per_day))
    return 0 if total <= bound else 1


if __name__ == "__main__":
    sys.exit(main())
