"""Seeded generator of OpenAI-audit-log-shaped events and Sigma rules for the conformance test.

Every case is built from a `random.Random(seed)`, so a seed names a case set exactly. Rules are
kept as plain data (`RuleSpec`) beside their YAML so the comparison can explain a difference.
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass, field

# Values the generator draws from; each field holds the kinds of text Sigma users meet:
# case variants, non-ASCII, literal wildcard characters, backslashes, empty text.
EMAILS = [
    "dana@acme.example", "Dana@Acme.Example", "eve@evil.example", "zoë@acme.example",
    "ZOË@acme.example", "a*b@acme.example", "q?r@acme.example", "back\\slash@acme.example",
    "ops-admin@acme.example", "", "émile@acme.example",
]
IPS = [
    "198.51.100.7", "198.51.100.200", "203.0.113.45", "10.1.2.3", "192.0.2.1", "2001:db8::1",
    "2001:db8:0:1::5", "fe80::1", "::ffff:192.0.2.1", "::1", "unknown", "0.0.0.0",
]
SECRET_WORDS = ["secret-admin", "Token", "curl", "évasion"]
AGENTS = [
    "python-requests/2.31.0", "curl/8.4.0 -k", "Mozilla/5.0 (X11; Linux)", "Go-http-client/1.1",
    "tool /quiet -force", "naïve-client/1.0", "agent with * star", "agent with ? mark",
    "C:\\Tools\\run.exe", "C:\\\\share\\x", "",
]
COUNTRIES = ["RU", "us", "DE", "De", "ÉS", "és", "CN"]
ASNS = ["9009", "20", "7", " 20", "0x10", "abc", "1234", "-3", "12.5"]
PROJECT_NAMES = ["Default project", "Project Ω", "project ω", "Ĳssel", "billing_prod", "100%"]
SCOPES = ["api.model.request", "api.files.read", "api.files.write", "API.Model.Request"]
TYPES = [
    "login.succeeded", "login.failed", "api_key.created", "api_key.updated", "api_key.deleted",
    "project.archived", "invite.sent", "rate_limit.updated",
]
MESSAGES = ["Invalid username or password", "first line\nsecond LINE", "trailing newline\n", "tab\there",
            "Ünicode Übung", "line one\r\nline two"]
TIMES = ["2026-03-16T01:00:05Z", "2026-01-01T23:59:59Z", "2026-01-05T12:30:00Z", "2025-12-29T08:15:00Z",
         "2026-07-04T18:45:30Z", "not a time"]

FIELDS = {
    # field: kind
    "type": "type",
    "actor.type": "actor_type",
    "actor.session.user.email": "email",
    "actor.session.ip_address": "ip",
    "actor.session.user_agent": "agent",
    "actor.session.ip_address_details.country": "country",
    "actor.session.ip_address_details.asn": "asn",
    "project.name": "project_name",
    "api_key.created.data.scopes": "scope",
    "invite.sent.email": "email",
    "rate_limit.updated.changes_requested.max_requests_per_1_minute": "number",
    "api_key.created.data.created_at": "time",
    "login.failed.error_message": "message",
    "effective_at": "epoch",
}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def generate_events(rng: random.Random, count: int) -> list[dict]:
    """Events of every actor shape; optional parts are missing, null or arrays at random."""
    events = []
    at = 1773709200
    for index in range(count):
        at += rng.choice([7, 14, 21, 70])
        kind = rng.choice(TYPES)
        event: dict = {"id": f"audit_log-{index:04d}", "object": "organization.audit_log",
                       "type": kind, "effective_at": at}
        if rng.random() < 0.8:
            session: dict = {"user": {"id": f"user-{index}", "email": rng.choice(EMAILS)}}
            if rng.random() < 0.9:
                session["ip_address"] = rng.choice(IPS)
            agent_roll = rng.random()
            if agent_roll < 0.15:
                session["user_agent"] = None
            elif agent_roll < 0.35:
                word = rng.choice(SECRET_WORDS)
                encoded = b64(rng.choice(["", "x", "xy"]) + word + rng.choice(["", "!", "!!"]))
                session["user_agent"] = "token=" + (encoded.lower() if rng.random() < 0.3 else encoded)
            elif agent_roll < 0.9:
                session["user_agent"] = rng.choice(AGENTS)
            if rng.random() < 0.7:
                details = {"country": rng.choice(COUNTRIES)}
                if rng.random() < 0.8:
                    details["asn"] = rng.choice(ASNS)
                session["ip_address_details"] = details
            event["actor"] = {"type": "session", "session": session}
        elif rng.random() < 0.7:
            event["actor"] = {"type": "api_key", "api_key": {"id": "key_1", "type": "service_account",
                                                              "service_account": {"id": "svc_1"}}}
        if rng.random() < 0.7:
            event["project"] = {"id": f"proj_{index % 5}", "name": rng.choice(PROJECT_NAMES)}
        if kind == "api_key.created":
            scopes = rng.sample(SCOPES, rng.choice([1, 1, 2, 3]))
            event["api_key.created"] = {"id": f"key_{index}", "data": {"scopes": scopes}}
            if rng.random() < 0.7:
                event["api_key.created"]["data"]["created_at"] = rng.choice(TIMES)
        elif kind == "login.failed" and rng.random() < 0.8:
            event["login.failed"] = {"error_code": "invalid_credentials", "error_message": rng.choice(MESSAGES)}
        elif kind == "invite.sent":
            email = rng.choice(EMAILS + [event.get("actor", {}).get("session", {}).get("user", {}).get("email", "x")])
            event["invite.sent"] = {"id": f"invite-{index}", "email": email}
        elif kind == "rate_limit.updated":
            event["rate_limit.updated"] = {"id": f"rl-{index}", "changes_requested": {
                "max_requests_per_1_minute": rng.choice([0, 7, 20, 100, 12.5, -3, 1000])}}
        events.append(event)
    return events


# ---------------------------------------------------------------------------------------------
# Rules

@dataclass
class Item:
    """One `field|modifiers: value(s)` entry."""
    field: str
    modifiers: list[str]
    values: list  # one value, or a list
    is_list: bool = False

    def key(self) -> str:
        return "|".join([self.field] + self.modifiers)


@dataclass
class RuleSpec:
    name: str
    rule_id: str
    selections: dict[str, list[list[Item]]]  # name -> alternatives (list of maps) -> items
    condition: str
    tags: set[str] = field(default_factory=set)

    def fields(self) -> set[str]:
        return {item.field for alts in self.selections.values() for items in alts for item in items}

    def items(self) -> list[Item]:
        return [item for alts in self.selections.values() for items in alts for item in items]


def yaml_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return "'" + text.replace("'", "''") + "'" if "\n" not in text else '"' + text.encode("unicode_escape").decode() + '"'


def rule_yaml(rule: RuleSpec) -> str:
    lines = [
        f"title: Conformance case {rule.name}",
        f"id: {rule.rule_id}",
        f"name: {rule.name}",
        "status: test",
        "logsource: {product: openai, service: audit_log}",
        "detection:",
    ]
    for name, alternatives in rule.selections.items():
        lines.append(f"  {name}:")
        indent = "    "
        for alternative in alternatives:
            prefix = indent + "- " if len(alternatives) > 1 else indent
            for position, item in enumerate(alternative):
                lead = prefix if position == 0 else (indent + "  " if len(alternatives) > 1 else indent)
                if item.is_list and not item.values:
                    lines.append(f"{lead}'{item.key()}': []")
                elif item.is_list:
                    lines.append(f"{lead}'{item.key()}':")
                    for value in item.values:
                        lines.append(f"{lead.replace('-', ' ')}  - {yaml_scalar(value)}")
                else:
                    lines.append(f"{lead}'{item.key()}': {yaml_scalar(item.values[0])}")
    lines.append(f"  condition: {rule.condition}")
    lines.append("level: low")
    return "\n".join(lines) + "\n"


def pool(kind: str) -> list:
    return {
        "type": TYPES, "actor_type": ["session", "api_key", "Session"], "email": EMAILS, "ip": IPS,
        "agent": AGENTS, "country": COUNTRIES, "asn": ASNS, "project_name": PROJECT_NAMES,
        "scope": SCOPES, "message": MESSAGES, "number": [0, 7, 20, 100, 12.5, -3], "time": TIMES, "epoch": [1773709200],
    }[kind]


def fragment(rng: random.Random, text: str, where: str) -> str:
    """A piece of `text` for contains/startswith/endswith, sometimes with its case flipped."""
    if not text:
        return ""
    length = rng.randint(1, max(1, min(6, len(text))))
    if where == "startswith":
        piece = text[:length]
    elif where == "endswith":
        piece = text[-length:]
    else:
        start = rng.randint(0, len(text) - length)
        piece = text[start:start + length]
    return flip_case(rng, piece)


def flip_case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.2:
        return text.upper()
    if roll < 0.35:
        return text.lower()
    return text


def escape_sigma(text: str) -> str:
    """The Sigma spelling of a literal text: `*`, `?` and a backslash before them are escaped."""
    out = []
    for index, char in enumerate(text):
        if char in "*?":
            out.append("\\" + char)
        elif char == "\\" and (index + 1 == len(text) or text[index + 1] in "*?\\"):
            out.append("\\\\")
        else:
            out.append(char)
    return "".join(out)


def with_wildcards(rng: random.Random, text: str) -> str:
    """A Sigma pattern that matches `text` (and maybe others): some characters become * or ?."""
    escaped = [escape_sigma(char) for char in text]
    if not escaped:
        return "*" if rng.random() < 0.5 else ""
    for _ in range(rng.randint(1, 2)):
        position = rng.randrange(len(escaped))
        escaped[position] = rng.choice(["*", "?"])
    return "".join(escaped)


def regex_for(rng: random.Random, text: str) -> str:
    """A regex from the subset every engine here agrees on: literals, ., [], anchors, quantifiers."""
    def lit(char: str) -> str:
        return "\\" + char if char in ".^$*+?()[]{}|\\/" else char
    if not text:
        return "^$"
    length = rng.randint(1, min(5, len(text)))
    start = rng.randint(0, len(text) - length)
    piece = text[start:start + length]
    parts = [lit(c) for c in piece]
    roll = rng.random()
    if roll < 0.2 and len(parts) > 1:
        parts[rng.randrange(len(parts))] = "."
    elif roll < 0.35:
        parts.append(rng.choice(["+", "*", "?", "{1,2}"]))
    elif roll < 0.5 and piece[0].isascii() and piece[0].isalpha():
        parts[0] = f"[{piece[0].lower()}{piece[0].upper()}]"
    pattern = "".join(parts)
    if start == 0 and rng.random() < 0.4:
        pattern = "^" + pattern
    if start + length == len(text) and rng.random() < 0.4:
        pattern += "$"
    if rng.random() < 0.15:
        pattern = f"({pattern}|zzz)"
    return pattern


def string_value(rng: random.Random, kind: str) -> str:
    value = rng.choice(pool(kind))
    return value if isinstance(value, str) else str(value)


def escape_item(rng: random.Random) -> Item:
    """Backslashes next to wildcards, the spec's escape rules (pySigma#431's pain point)."""
    field_name, text = rng.choice([("actor.session.user_agent", "C:\\Tools\\run.exe"),
                                   ("actor.session.user_agent", "C:\\\\share\\x"),
                                   ("actor.session.user.email", "back\\slash@acme.example")])
    cut = text.index("\\") + 1            # just after the first backslash
    head = text[:cut]
    spellings = [
        escape_sigma(head[:-1]) + "\\\\*",     # literal backslash, then a wildcard
        escape_sigma(head[:-1]) + "\\*",       # an escaped star: a literal '*'
        escape_sigma(head[:-1]) + "\\",        # a lone backslash at the end
        head[:-1] + "\\" + text[cut:],         # a backslash not before a wildcard is one backslash
        escape_sigma(text).replace("\\\\", "\\\\\\\\"),  # doubled escapes: two backslashes each
        "*" + escape_sigma(text[cut:]),
        escape_sigma(head[:-1]) + "\\?" + "*",
    ]
    placement = rng.choice([[], [], ["contains"], ["startswith"], ["endswith"], ["cased"]])
    return Item(field_name, placement, [rng.choice(spellings)])


def odd_items() -> list[Item]:
    """Entries at the edge of what Sigma allows: both sides must refuse or accept them alike,
    or differ as a named difference says."""
    agent, email, asn = "actor.session.user_agent", "actor.session.user.email", "actor.session.ip_address_details.asn"
    return [
        Item(email, ["contains", "all"], ["acme"]),                 # all on one value
        Item(asn, ["gt"], ["10"]),                                   # quoted number bound
        Item(asn, ["gt"], ["abc"]),
        Item(email, [], ["eve@evil.example", None], True),           # null inside a list
        Item(email, [], [], True),                                   # empty list
        Item(agent, ["utf16le", "base64offset", "contains"], ["curl"]),
        Item(agent, ["wide", "base64offset", "contains"], ["curl"]),
        Item(agent, ["windash", "contains"], ["-a -b -c -d"]),
        Item(agent, ["base64", "contains"], ["sec*"]),
        Item("actor.session.ip_address", ["cidr"], ["10.0.0.1/8"]),
        Item(email, ["fieldref"], ["invite.*"]),
        Item(email, ["re"], ["(abc"]),
        Item(email, ["re"], ["a(?=b)"]),
        Item(email, ["exists"], ["yes"]),
        Item(email, ["bogus"], ["x"]),
        Item(email, ["startswith", "endswith"], ["e"]),
        Item(email, ["contains", "startswith"], ["acme"]),
        Item("actor.session.user_agent", ["neq"], [None]),
        Item(agent, ["windash", "base64offset", "contains"], ["-k"]),
        Item(email, ["re", "cased"], ["acme"]),
        Item(email, ["cidr"], ["10.0.0.0/8", "2001:db8::/32"], True),
    ]


def make_item(rng: random.Random, events: list[dict]) -> Item:
    """One detection item with a modifier chain Sigma (and pySigma) accepts."""
    field_name = rng.choice(list(FIELDS))
    kind = FIELDS[field_name]
    form = rng.choices(
        ["plain", "wild", "contains", "startswith", "endswith", "cased", "re", "cidr", "cmp", "exists",
         "null", "neq", "fieldref", "base64", "base64offset", "windash", "datepart", "number", "all", "odd",
         "escape"],
        weights=[8, 4, 4, 3, 3, 3, 4, 3, 4, 2, 2, 3, 3, 2, 2, 2, 2, 2, 3, 2, 3])[0]

    def values_of(make, forms=(1, 1, 2, 3)):
        count = rng.choice(forms)
        produced = [make() for _ in range(count)]
        return produced, count > 1

    if form == "odd":
        return rng.choice(odd_items())
    if form == "escape":
        return escape_item(rng)
    if form == "cidr" or kind == "ip" and form in ("plain",) and rng.random() < 0.5:
        field_name = "actor.session.ip_address"
        nets = ["198.51.100.0/24", "198.51.100.0/25", "10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32",
                "2001:db8::/32", "::/0", "::ffff:0:0/96", "fe80::/10", "203.0.113.0/28", "::1/128"]
        values, is_list = values_of(lambda: rng.choice(nets))
        return Item(field_name, ["cidr"], values, is_list)
    if form == "cmp":
        field_name = rng.choice(["actor.session.ip_address_details.asn",
                                 "rate_limit.updated.changes_requested.max_requests_per_1_minute", "effective_at"])
        bound = rng.choice([0, 7, 10, 20, 12.5, 100, -3, 1773709500]) if field_name != "effective_at" \
            else rng.choice([1773709300, 1773709900, 1773711000])
        return Item(field_name, [rng.choice(["gt", "gte", "lt", "lte"])], [bound])
    if form == "exists":
        field_name = rng.choice(["actor.session.user_agent", "actor.session.ip_address", "project.name",
                                 "api_key.created.data.scopes", "actor.session.ip_address_details.asn"])
        return Item(field_name, ["exists"], [rng.choice([True, False])])
    if form == "null":
        field_name = rng.choice(["actor.session.user_agent", "project.name", "actor.session.ip_address"])
        return Item(field_name, [], [None])
    if form == "fieldref":
        pair = rng.choice([("invite.sent.email", "actor.session.user.email"),
                           ("actor.session.user.email", "invite.sent.email")])
        placement = rng.choice([[], [], ["startswith"], ["endswith"], ["contains"]])
        negate = ["neq"] if rng.random() < 0.3 else []
        return Item(pair[0], ["fieldref"] + placement + negate, [pair[1]])
    if form in ("base64", "base64offset"):
        field_name = "actor.session.user_agent"
        word = rng.choice(SECRET_WORDS + ["Tok", "x" + "secret-admin"])
        placement = ["contains"] if form == "base64offset" or rng.random() < 0.7 else []
        cased = ["cased"] if rng.random() < 0.2 else []
        return Item(field_name, [form] + placement + cased, [flip_case(rng, word) if not cased else word])
    if form == "windash":
        field_name = "actor.session.user_agent"
        value = rng.choice(["-k", "/k", "/quiet", "-force", "tool -quiet", "curl/8", "/quiet -force"])
        return Item(field_name, ["windash", "contains"], [value])
    if form == "datepart":
        field_name = "api_key.created.data.created_at"
        part = rng.choice(["minute", "hour", "day", "week", "month", "year"])
        expected = {"minute": [0, 15, 30, 45, 59], "hour": [1, 8, 12, 18, 23], "day": [1, 4, 5, 16, 29],
                    "week": [0, 1, 2, 12, 27, 52, 53], "month": [1, 3, 7, 12], "year": [2025, 2026]}[part]
        mods = [part] + ([rng.choice(["gt", "gte", "lt", "lte"])] if rng.random() < 0.3 else [])
        return Item(field_name, mods, [rng.choice(expected)])
    if form == "number":
        field_name = rng.choice(["rate_limit.updated.changes_requested.max_requests_per_1_minute",
                                 "actor.session.ip_address_details.asn"])
        values, is_list = values_of(lambda: rng.choice([7, 20, 12.5, -3, 1234, 0]))
        return Item(field_name, [], values, is_list)
    if form == "re":
        flags = rng.choice([[], [], ["i"], ["m"], ["s"], ["i", "m"]])
        placement = rng.choice([[], [], [], ["contains"], ["startswith"], ["endswith"]])
        values, is_list = values_of(lambda: regex_for(rng, string_value(rng, kind)))
        return Item(field_name, ["re"] + flags + placement, values, is_list)
    if form == "neq":
        values, is_list = values_of(lambda: flip_case(rng, string_value(rng, kind)))
        return Item(field_name, ["neq"], values, is_list)
    if form == "all":
        placement = rng.choice(["contains", "startswith", "endswith"])
        values = [fragment(rng, string_value(rng, kind), placement) for _ in range(rng.choice([2, 3]))]
        return Item(field_name, [placement, "all"], [escape_sigma(v) for v in values], True)
    if form in ("contains", "startswith", "endswith"):
        values, is_list = values_of(lambda: escape_sigma(fragment(rng, string_value(rng, kind), form)))
        return Item(field_name, [form], values, is_list)
    if form == "cased":
        placement = rng.choice([[], ["contains"], ["startswith"], ["endswith"]])
        where = placement[0] if placement else "exact"
        def cased_value():
            text = string_value(rng, kind)
            return escape_sigma(text if where == "exact" else fragment(rng, text, where))
        values, is_list = values_of(cased_value)
        return Item(field_name, placement + ["cased"], values, is_list)
    if form == "wild":
        values, is_list = values_of(lambda: with_wildcards(rng, flip_case(rng, string_value(rng, kind))))
        return Item(field_name, [], values, is_list)
    values, is_list = values_of(lambda: escape_sigma(flip_case(rng, string_value(rng, kind))))
    return Item(field_name, [], values, is_list)


def make_condition(rng: random.Random, names: list[str]) -> str:
    """A condition over the selections: and/or/not, parentheses, `1 of`/`all of` patterns."""
    prefixes = sorted({name.split("_")[0] + "_*" for name in names})
    def quantified() -> str:
        return rng.choice(["1 of", "all of"]) + " " + rng.choice(prefixes + ["them"])

    if len(names) == 1:
        return rng.choice([names[0], names[0], f"not {names[0]}", quantified(), f"not {quantified()}"])

    def term(name: str) -> str:
        return f"not {name}" if rng.random() < 0.3 else name

    roll = rng.random()
    if roll < 0.15:
        return rng.choice(["", "not "]) + quantified()
    if roll < 0.3 and len(names) >= 2:
        return f"{term(names[0])} {rng.choice(['and', 'or'])} {rng.choice(['', 'not '])}{quantified()}"
    text = term(names[0])
    for name in names[1:]:
        operator = rng.choice(["and", "or"])
        if rng.random() < 0.3:
            text = f"({text}) {operator} {term(name)}"
        elif rng.random() < 0.2:
            text = f"{text} {operator} not ({term(name)} or {names[0]})"
        else:
            text = f"{text} {operator} {term(name)}"
    return text


def generate_rules(rng: random.Random, count: int, events: list[dict]) -> list[RuleSpec]:
    rules = []
    for index in range(count):
        selection_count = rng.choice([1, 1, 2, 2, 3])
        selections: dict[str, list[list[Item]]] = {}
        names = []
        for number in range(selection_count):
            name = rng.choice(["sel", "sel", "filter"]) + f"_{chr(97 + number)}"
            names.append(name)
            alternatives = []
            for _ in range(rng.choice([1, 1, 1, 2])):
                items: dict[str, Item] = {}
                for _ in range(rng.choice([1, 1, 2])):
                    item = make_item(rng, events)
                    items.setdefault(item.key(), item)
                alternatives.append(list(items.values()))
            selections[name] = alternatives
        condition = make_condition(rng, names)
        rule_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        rules.append(RuleSpec(f"case_{index:04d}", rule_id, selections, condition))
    return rules
