"""Seeded correlation cases: base rules, one correlation over them, and events in bursts.

Event times are multiples of 7 seconds and timespans are 1m, 5m or 2h, so no two events are
exactly a timespan apart and no two share a second: window edges and ties are the correlation
work's own tests (the `edge` cases below carry them, named as owned by that work).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

USERS = ["dana@acme.example", "eve@evil.example", "ops@acme.example", "zoë@acme.example"]
IPS = ["198.51.100.7", "203.0.113.45", "2001:db8::1"]
BASE_TYPES = {"fail": "login.failed", "ok": "login.succeeded", "key": "api_key.created"}
SPANS = {"1m": 60, "5m": 300, "2h": 7200}


@dataclass
class CorrelationCase:
    name: str
    kind: str
    rules: list[str]          # base rule keys (fail, ok, key)
    group_by: list[str]
    timespan: str
    condition: dict | None
    value_field: str | None = None
    owned_by: str | None = None   # a named expected difference, when the case is one
    events: list[dict] = field(default_factory=list)
    rule_id: str = ""
    aliases: dict[str, dict[str, str]] | None = None  # alias -> base rule key -> field

    def yaml(self) -> str:
        docs = []
        for key in self.rules:
            docs.append("\n".join([
                f"title: {self.name} {key}",
                f"id: {uuid.uuid5(uuid.NAMESPACE_URL, self.name + key)}",
                f"name: {self.name}_{key}",
                "status: test",
                "logsource: {product: openai, service: audit_log}",
                "detection:",
                "  selection:",
                f"    type: {BASE_TYPES[key]}",
                "  condition: selection",
                "level: low",
            ]))
        lines = [
            f"title: {self.name}",
            f"id: {self.rule_id}",
            f"name: {self.name}",
            "status: test",
            "correlation:",
            f"  type: {self.kind}",
            "  rules: [" + ", ".join(f"{self.name}_{key}" for key in self.rules) + "]",
        ]
        if self.group_by:
            lines.append("  group-by: [" + ", ".join(self.group_by) + "]")
        if self.aliases:
            lines.append("  aliases:")
            for alias, mapping in self.aliases.items():
                lines.append(f"    {alias}:")
                for key, path in mapping.items():
                    lines.append(f"      {self.name}_{key}: {path}")
        lines.append(f"  timespan: {self.timespan}")
        if self.condition is not None:
            parts = [f"{op}: {count}" for op, count in self.condition.items()]
            if self.value_field:
                parts.insert(0, f"field: {self.value_field}")
            lines.append("  condition: {" + ", ".join(parts) + "}")
        lines.append("level: medium")
        docs.append("\n".join(lines))
        return "\n---\n".join(docs) + "\n"


def burst_events(rng: random.Random, prefix: str, start: int, count: int, types: list[str],
                 users=USERS, ips=IPS, step=(7, 14, 21, 35, 70, 210)) -> list[dict]:
    events = []
    at = start
    for index in range(count):
        at += rng.choice(step)
        events.append({
            "id": f"{prefix}-{index:04d}", "object": "organization.audit_log", "type": rng.choice(types),
            "effective_at": at,
            "actor": {"type": "session", "session": {
                "user": {"id": "user-x", "email": rng.choice(users)}, "ip_address": rng.choice(ips)}},
        })
    return events


def generate_correlations(rng: random.Random, count: int) -> list[CorrelationCase]:
    cases = []
    for index in range(count):
        name = f"corr_{index:04d}"
        kind = rng.choice(["event_count", "event_count", "value_count", "temporal", "temporal_ordered"])
        span = rng.choice(list(SPANS))
        if kind == "event_count":
            rules = rng.choice([["fail"], ["fail"], ["fail", "ok"]])
            group = rng.choice([["actor.session.user.email"], ["actor.session.ip_address"],
                                ["actor.session.user.email", "actor.session.ip_address"], []])
            condition = {rng.choice(["gte", "gt"]): rng.randint(2, 5)}
            value_field = None
        elif kind == "value_count":
            rules = ["fail"]
            group = rng.choice([["actor.session.ip_address"], []])
            value_field = "actor.session.user.email"
            condition = {rng.choice(["gte", "gt"]): rng.randint(2, 3)}
        else:
            rules = rng.choice([["fail", "ok"], ["ok", "key"], ["fail", "ok", "key"]])
            group = rng.choice([["actor.session.user.email"], ["actor.session.ip_address"]])
            condition, value_field = None, None
        case = CorrelationCase(name, kind, rules, group, span, condition, value_field,
                               rule_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        types = [BASE_TYPES[key] for key in rules] + ["project.archived"]
        case.events = burst_events(rng, name, 1773709200 + 7 * rng.randint(0, 50), rng.randint(8, 30), types)
        if kind.startswith("temporal") and "key" in rules and rng.random() < 0.6:
            # A person across both actor shapes: the key events carry the user under api_key.
            case.group_by = ["user_email"]
            case.aliases = {"user_email": {key: "actor.api_key.user.email" if key == "key" else
                                           "actor.session.user.email" for key in rules}}
            for event in case.events:
                if event["type"] == BASE_TYPES["key"]:
                    email = event["actor"]["session"]["user"]["email"]
                    event["actor"] = {"type": "api_key", "api_key": {"id": "key_u", "type": "user",
                                                                      "user": {"id": "user-x", "email": email}}}
        cases.append(case)
    cases.extend(edge_cases())
    return cases


def edge_cases() -> list[CorrelationCase]:
    """Cases on the points issue 13 gives to the correlation work; differences are expected there."""
    def event(case, index, at, kind, email="dana@acme.example", ip="198.51.100.7"):
        session = {"user": {"id": "u", "email": email}} if email is not None else {"user": {"id": "u"}}
        session["ip_address"] = ip
        return {"id": f"{case}-{index:04d}", "object": "organization.audit_log", "type": kind,
                "effective_at": at, "actor": {"type": "session", "session": session}}
    cases = []
    t = 1773709200
    edge = CorrelationCase("edge_window", "event_count", ["fail"], ["actor.session.user.email"], "1m",
                           {"gte": 2}, owned_by="window_edge", rule_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "edge1")))
    edge.events = [event(edge.name, 0, t, "login.failed"), event(edge.name, 1, t + 60, "login.failed")]
    cases.append(edge)
    case_group = CorrelationCase("edge_case", "event_count", ["fail"], ["actor.session.user.email"], "5m",
                                 {"gte": 2}, owned_by="group_by_case", rule_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "edge2")))
    case_group.events = [event(case_group.name, 0, t, "login.failed", "Eve@evil.example"),
                         event(case_group.name, 1, t + 10, "login.failed", "eve@evil.example")]
    cases.append(case_group)
    distinct = CorrelationCase("edge_value_case", "value_count", ["fail"], ["actor.session.ip_address"], "5m",
                               {"gte": 2}, value_field="actor.session.user.email", owned_by="value_count_case",
                               rule_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "edge3")))
    distinct.events = [event(distinct.name, 0, t, "login.failed", "Eve@evil.example"),
                       event(distinct.name, 1, t + 10, "login.failed", "eve@evil.example")]
    cases.append(distinct)
    same_second = CorrelationCase("edge_same_second", "temporal_ordered", ["fail", "ok"], ["actor.session.user.email"],
                                  "5m", None, owned_by="same_second_order", rule_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "edge4")))
    same_second.events = [event(same_second.name, 0, t, "login.succeeded"), event(same_second.name, 1, t, "login.failed")]
    cases.append(same_second)
    missing = CorrelationCase("edge_missing_group", "event_count", ["fail"], ["actor.session.user.email"], "5m",
                              {"gte": 2}, owned_by="missing_group_field", rule_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "edge5")))
    missing.events = [event(missing.name, 0, t, "login.failed", None), event(missing.name, 1, t + 10, "login.failed", None)]
    cases.append(missing)
    return cases
