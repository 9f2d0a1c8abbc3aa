#!/usr/bin/env python3
"""Writes N generated detection rules that are not keyed on `type`, for the rule-count benchmarks
(issue 17) and the indexed-evaluation equivalence test.

    scripts/generate-rules.py --count N --seed S --out DIR

Deterministic: rule i depends only on (seed, i), so the 10-rule set is the first ten rules of
the 1,000-rule set of the same seed, and the same arguments always write the same bytes. The
values come from the value space of `auditwatch generate` (Sources/AuditwatchCore/Generate/
EventGenerator.swift): users `user<N>@corp.example` (N < 4000), addresses `198.51.x.y`, the
incident ranges 203.0.113.0/24 and 198.18.0.0/16, keys `key_<N>`, `key_svc<N>`, service
accounts `svc_acct_<N>`, projects `proj_<N>`, countries, cities, ASNs. Most rules name one or a
few of thousands of values, or values the generator never writes, so most rarely match.

The mix (per rule, by weight): equality, `in`-lists, contains / startswith / endswith, cidr,
numeric comparisons (with a literal beside them, or, rarely, alone), about 10 % `re`, a few
`not` filters, over a dozen fields.
"""

import argparse
import os
import random

USERS, PROJECTS, SERVICE_ACCOUNTS, KEYS = 4000, 200, 300, 3000
COUNTRIES = ["US", "DE", "GB", "FR", "JP", "BR", "IN", "CA"]
START = 1_773_705_600
TOOLS = ["curl/", "python-requests", "Go-http-client", "HeadlessChrome", "okhttp", "aiohttp", "Wget/",
         "PostmanRuntime", "node-fetch", "axios/", "libwww-perl", "Java/", "httpx", "sqlmap", "nikto"]
FREE_MAIL = ["gmail.com", "outlook.com", "yandex.ru", "mail.ru", "proton.me", "qq.com", "gmx.de", "icloud.com"]


def quote(text):
    return "'" + str(text).replace("'", "''") + "'"


class Rule:
    def __init__(self, rng):
        self.rng = rng

    def user(self):
        # Eight in nine name no user of the generated events.
        return self.rng.randrange(USERS * 9)

    def email(self):
        return f"user{self.user()}@corp.example"

    # Each picker returns (field, modifiers, values): a selection entry.
    def equality(self):
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.user.email", "", [self.email()]),
            lambda: ("actor.email", "", [self.email()]),
            lambda: ("actor.session.user.id", "", [f"user-{self.user()}"]),
            lambda: ("actor.api_key.id", "", [f"key_{rng.randrange(KEYS * 10)}"]),
            lambda: ("actor.api_key.service_account.id", "", [f"svc_acct_{rng.randrange(SERVICE_ACCOUNTS * 10)}"]),
            lambda: ("project.id", "", [f"proj_{rng.randrange(PROJECTS * 20)}"]),
            lambda: ("actor.session.ip_address", "", [f"198.51.{rng.randrange(200)}.{rng.randrange(250)}"]),
            lambda: ("actor.session.ja3", "", ["%032x" % rng.getrandbits(128)]),
            lambda: ("actor.session.ip_address_details.city", "", [f"City {rng.randrange(50, 400)}"]),
            lambda: ("details.data.email", "", [f"new{rng.randrange(100000)}@corp.example"]),
        ])()

    def in_list(self):
        rng = self.rng
        size = rng.randrange(3, 9)
        return rng.choice([
            lambda: ("actor.session.user.email", "", [self.email() for _ in range(size)]),
            lambda: ("actor.api_key.id", "", [f"key_svc{rng.randrange(KEYS * 10)}" for _ in range(size)]),
            lambda: ("project.id", "", [f"proj_{rng.randrange(PROJECTS * 40)}" for _ in range(size)]),
            lambda: ("actor.api_key.service_account.id", "",
                     [f"svc_acct_{rng.randrange(SERVICE_ACCOUNTS * 20)}" for _ in range(size)]),
            lambda: ("actor.session.ip_address_details.asn", "", [str(rng.randrange(3000, 9000)) for _ in range(size)]),
            lambda: ("actor.session.user.id", "", [f"user-{self.user()}" for _ in range(size)]),
        ])()

    def contains(self):
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.user_agent", "|contains", rng.sample(TOOLS, rng.randrange(1, 4))),
            lambda: ("actor.session.user.email", "|contains", [f"r{self.user()}@"]),
            lambda: ("details.data.email", "|contains", [f"{rng.randrange(10000, 99999)}@"]),
            lambda: ("project.name", "|contains", [f"Project {rng.randrange(1000, 9999)}"]),
            lambda: ("actor.api_key.id", "|contains", [f"_svc{rng.randrange(1000, KEYS * 10)}"]),
        ])()

    def startswith(self):
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.ip_address", "|startswith", [f"203.0.113.{rng.randrange(250)}"]),
            lambda: ("actor.session.ip_address", "|startswith", [f"10.{rng.randrange(256)}."]),
            lambda: ("actor.session.user.email", "|startswith", [f"user{self.user()}@"]),
            lambda: ("actor.session.user_agent", "|startswith", rng.sample(TOOLS, 2)),
            lambda: ("actor.api_key.id", "|startswith", [f"key_svc{rng.randrange(1000, KEYS * 10)}"]),
            lambda: ("actor.session.ip_address_details.city", "|startswith", [f"City {rng.randrange(100, 999)}"]),
        ])()

    def endswith(self):
        rng = self.rng
        return rng.choice([
            lambda: ("details.data.email", "|endswith", ["@" + d for d in rng.sample(FREE_MAIL, rng.randrange(1, 4))]),
            lambda: ("actor.session.user.email", "|endswith", [f"{rng.randrange(100, 1000)}@corp.example"]),
            lambda: ("actor.email", "|endswith", [f"@{rng.choice(['partner', 'vendor', 'contractor'])}.example"]),
            lambda: ("actor.api_key.service_account.id", "|endswith", [f"_{rng.randrange(300, 999)}"]),
        ])()

    def cidr(self):
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.ip_address", "|cidr", [f"10.{rng.randrange(256)}.0.0/16"]),
            lambda: ("actor.session.ip_address", "|cidr", [f"192.168.{rng.randrange(256)}.0/24"]),
            lambda: ("actor.session.ip_address", "|cidr", [f"203.0.113.{rng.randrange(64) * 4}/30"]),
            lambda: ("actor.session.ip_address", "|cidr", [f"198.18.{rng.randrange(250)}.0/24"]),
            lambda: ("actor.ip", "|cidr", [f"198.51.{rng.randrange(200)}.{rng.randrange(250)}/32"]),
            lambda: ("actor.session.ip_address", "|cidr",
                     [f"2001:db8:{rng.randrange(65536):x}::/48", f"172.{rng.randrange(16, 32)}.0.0/16"]),
        ])()

    def numeric(self):
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.ip_address_details.asn", "|gte", [1000 + rng.randrange(897, 920)]),
            lambda: ("effective_at", "|gt", [START + rng.randrange(1_000_000, 1_200_000)]),
            lambda: ("effective_at", "|lt", [START - rng.randrange(1, 100_000)]),
            lambda: ("details.changes_requested.max_requests_per_1_minute", "|gte", [rng.choice([99999, 100000, 200000, 1000000])]),
            lambda: ("actor.session.ip_address_details.latitude", "|lt", [rng.choice([-60, -45, 10])]),
        ])()

    def regex(self):
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.user_agent", "|re|i", ["^(" + "|".join(t.lower().rstrip("/") for t in rng.sample(TOOLS, 3)) + ")"]),
            lambda: ("actor.session.user.email", "|re", [f"^user{rng.randrange(100, 4000)}[0-9]@corp\\.example$"]),
            lambda: ("actor.api_key.id", "|re", [f"^key_svc{rng.randrange(10, 300)}[0-9]{{2}}$"]),
            lambda: ("details.data.email", "|re|i", [f"^new[0-9]+@({'|'.join(d.replace('.', chr(92) + '.') for d in rng.sample(FREE_MAIL, 2))})$"]),
            lambda: ("project.name", "|re", [f"^Project (1[0-9]{{3}}|{rng.randrange(200, 999)})$"]),
        ])()

    def regex_alone(self):
        """A regex on its own carries a telling literal, as Sigma's regexes mostly do."""
        rng = self.rng
        return rng.choice([
            lambda: ("actor.session.user.email", "|re", [f"^user{rng.randrange(100, 4000)}[0-9]@"]),
            lambda: ("actor.api_key.id", "|re", [f"^key_svc{rng.randrange(10, 300)}[0-9]{{2}}$"]),
            lambda: ("actor.session.user_agent", "|re|i", [f"(sqlmap|nikto)/[0-9]+\\.{rng.randrange(10)}"]),
        ])()

    def literal(self):
        """One entry with a necessary literal (any of the literal families)."""
        return self.rng.choices(
            [self.equality, self.in_list, self.contains, self.startswith, self.endswith, self.cidr],
            weights=[22, 17, 12, 10, 8, 10])[0]()


def distinct(pickers):
    """One entry from each picker, re-drawn until no two share a field and modifiers (a YAML key)."""
    entries = []
    for picker in pickers:
        entry = picker()
        while any(entry[0] == other[0] and entry[1] == other[1] for other in entries):
            entry = picker()
        entries.append(entry)
    return entries


def entry_yaml(entry, indent):
    field, modifiers, values = entry
    pad = " " * indent
    if len(values) == 1:
        return f"{pad}{field}{modifiers}: {quote(values[0]) if isinstance(values[0], str) else values[0]}\n"
    lines = f"{pad}{field}{modifiers}:\n"
    for value in values:
        lines += f"{pad}  - {quote(value) if isinstance(value, str) else value}\n"
    return lines


def rule_text(seed, index):
    rng = random.Random(f"{seed}:{index}")
    gen = Rule(rng)
    selections = {}
    shape = rng.choices(
        ["literal", "literal_pair", "numeric_with_literal", "numeric_alone", "regex_with_literal", "regex_alone",
         "not_filter", "not_alone", "one_of"],
        weights=[46, 14, 8, 0.5, 9, 1, 12, 0.5, 8])[0]
    condition = "selection"
    if shape == "literal":
        selections["selection"] = [gen.literal()]
    elif shape == "literal_pair":
        selections["selection"] = distinct([gen.literal, gen.literal])
    elif shape == "numeric_with_literal":
        selections["selection"] = distinct([gen.literal, gen.numeric])
    elif shape == "numeric_alone":
        selections["selection"] = [gen.numeric()]
    elif shape == "regex_with_literal":
        selections["selection"] = distinct([gen.literal, gen.regex])
    elif shape == "regex_alone":
        selections["selection"] = [gen.regex_alone()]
    elif shape == "not_filter":
        selections["selection"] = [gen.literal()]
        selections["filter"] = [rng.choice([gen.literal, gen.numeric, gen.regex])()]
        condition = "selection and not filter"
    elif shape == "not_alone":
        # No necessary literal: true only for an actor that is neither kind (none in generated events).
        selections["filter"] = [("actor.type", "", ["session", "api_key"])]
        selections["rare"] = [gen.literal()]
        condition = "not filter and not rare"
    else:
        count = rng.randrange(2, 4)
        for part in range(count):
            selections[f"selection_{part}"] = [gen.literal()]
        condition = "1 of selection_*"
    name = f"gen_{seed}_{index:05d}"
    text = f"title: Generated rule {index} (seed {seed})\n"
    text += f"id: {name}\n"
    text += "status: experimental\n"
    text += "description: Generated by scripts/generate-rules.py for the rule-count benchmarks.\n"
    text += "author: auditwatch\n"
    text += "logsource: {product: openai, service: audit_log}\n"
    text += "detection:\n"
    for selection, entries in selections.items():
        text += f"  {selection}:\n"
        for entry in entries:
            text += entry_yaml(entry, 4)
    text += f"  condition: {condition}\n"
    text += f"level: {rng.choice(['low', 'medium', 'high'])}\n"
    return name, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="how many rules")
    parser.add_argument("--seed", type=int, default=1, help="the seed (the same seed gives the same rules)")
    parser.add_argument("--out", required=True, help="the directory to write the rules into (one file each)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.startswith("gen_") and name.endswith(".yml"):
            os.remove(os.path.join(args.out, name))
    for index in range(args.count):
        name, text = rule_text(args.seed, index)
        with open(os.path.join(args.out, name + ".yml"), "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
