"""The intended differences: each names a row of docs/sigma-conformance.md and says why.

A disagreement between auditwatch and the reference passes only when one of these applies to
that rule and that event; each test below is kept as narrow as the reason it stands for.
"""

from __future__ import annotations

import ipaddress

from generate import RuleSpec

INTENDED = {
    "array_elements": "Arrays: SQL rows hold one element each, so `|all`, `not`, `neq` and two tests of one "
                      "array field see one element at a time; auditwatch tests the whole array (any element "
                      "matches; `|all`: every value matches some element)",
    "unicode_case": "Case: SQLite's NOCASE and LIKE fold ASCII only; the spec says case-insensitive, so "
                    "auditwatch folds all of Unicode (`É` = `é`)",
    "exists_null": "exists: SQL NULL cannot tell a JSON null from a missing key (the backend's README); the "
                   "spec makes exists a presence test, so a key holding null exists",
    "loader_renumbered": "Numeric text: the NUMERIC column stores a string that spells a number as that number "
                         "(' 20' -> 20, '12.50' -> 12.5), and a rule's string compared with it is read the "
                         "same way, so text tests see another spelling; auditwatch compares the texts as written",
    "text_ordering": "gt/gte/lt/lte on text that is not a number: SQLite orders every text after every number; "
                     "the spec says numeric comparison, so such a value never matches",
    "cidr_text": "cidr: pySigma turns a network into text prefixes (`10.*`, `*` for /0), which also match "
                 "non-addresses and other spellings; auditwatch parses the address and never matches a non-IP",
    "regex_multiline_anchor": "re: Python's `$` also matches before a final newline; owned by the regex work",
    "week_numbering": "week: the backend's strftime('%W') puts days before the first Monday in week 0; the spec "
                      "says 1 to 52 and the backend's README lists week 0 as a limitation, so auditwatch takes "
                      "the ISO 8601 week",
    "windash_every_dash": "windash: the spec makes every `-` and `/` interchangeable; pySigma expands only option "
                          "dashes (`\\B[-/]\\b`), so auditwatch also matches e.g. `curl–8` for `curl/8`",
    "cidr_mapped": "cidr: an IPv4 network holds the IPv4-mapped spelling `::ffff:a.b.c.d` of its addresses in "
                   "auditwatch (the same host, RFC 4291 2.5.5.2), so a block list cannot be evaded by the "
                   "spelling; pySigma's text prefixes miss it",
    "same_second_order": "temporal_ordered with events in the same second: the reference wants strictly later "
                         "times, auditwatch keeps equal times in order (effective_at has one-second resolution, "
                         "so a scripted attack does both steps in one second)",
}


REFUSALS = {
    "all_single": "all on one value: the spec forbids it ('Single item values are not allowed to have an all "
                  "modifier'); pySigma accepts it, auditwatch says so at load",
    "quoted_number_bound": "gt/gte/lt/lte with a quoted number ('10'): pySigma wants a YAML number; auditwatch "
                           "reads the text as event strings are read (a decimal literal)",
    "null_in_list": "null inside a value list: auditwatch wants it as its own entry, so that `field: [a, null]` "
                    "is not misread; pySigma ORs an IS NULL",
    "empty_list": "an empty value list: pySigma turns it into IS NULL, auditwatch refuses a list that can "
                  "never mean what it says",
    "utf16le_name": "utf16le: the spec's name; pySigma 2.0.1 only knows `wide` for it",
    "windash_every_dash": "windash on four or more dashes: pySigma refuses beyond three option dashes, "
                          "auditwatch allows up to 625 variants",
    "reference_nested_expansion": "windash|base64offset: the SQLite backend 2.1.1 fails (AttributeError) on an "
                                  "expansion of expansions; auditwatch encodes the three offsets of each variant",
}


def classify_refusal(rule: RuleSpec) -> list[str]:
    """The intended differences that explain pySigma and auditwatch disagreeing on loading."""
    reasons = []
    for item in rule.items():
        mods = set(item.modifiers)
        if "all" in mods and not item.is_list:
            reasons.append("all_single")
        if mods & {"gt", "gte", "lt", "lte"} and any(isinstance(v, str) and is_number_text(v) for v in item.values):
            reasons.append("quoted_number_bound")
        if item.is_list and None in item.values:
            reasons.append("null_in_list")
        if item.is_list and not item.values:
            reasons.append("empty_list")
        if {"windash", "base64offset"} <= mods:
            reasons.append("reference_nested_expansion")
        if "utf16le" in mods:
            reasons.append("utf16le_name")
        if "windash" in mods and any(isinstance(v, str) and sum(v.count(c) for c in "-/") > 3 for v in item.values):
            reasons.append("windash_every_dash")
    return sorted(set(reasons))


def values_at(event: dict, path: str) -> list:
    """Every value the dotted path reaches in the event (through arrays), JSON null included."""
    found = []

    def walk(node, parts):
        if isinstance(node, list):
            for element in node:
                walk(element, parts)
            return
        if not parts:
            found.append(node)
            return
        if not isinstance(node, dict):
            return
        # the longest dotted prefix that is a key, as auditwatch resolves it
        for length in range(len(parts), 0, -1):
            key = ".".join(parts[:length])
            if key in node:
                walk(node[key], parts[length:])
                return

    walk(event, path.split("."))
    return found


def raw_at(event: dict, path: str):
    """The value at the path without descending into arrays (to see an array itself)."""
    node = event
    parts = path.split(".")
    while parts:
        if not isinstance(node, dict):
            return None
        for length in range(len(parts), 0, -1):
            key = ".".join(parts[:length])
            if key in node:
                node = node[key]
                parts = parts[length:]
                break
        else:
            return None
    return node


def has_unicode_case(text) -> bool:
    """Text where Unicode and ASCII case folding differ: a non-ASCII capital."""
    return isinstance(text, str) and any(not c.isascii() and c.lower() != c for c in text)


def non_option_dash(text) -> bool:
    """A `-` or `/` pySigma's windash leaves alone (not at `\\B[-/]\\b`)."""
    import re
    if not isinstance(text, str):
        return False
    options = {m.start() for m in re.finditer(r"\B[-/]\b", text)}
    return any(c in "-/" and i not in options for i, c in enumerate(text))


def is_number_text(text: str) -> bool:
    """The numeric strings of both sides: SQLite's numeric literal grammar, surrounding space allowed."""
    import re
    return re.fullmatch(r"[ \t\n\r\f\v]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\f\v]*", text) is not None


def classify(rule: RuleSpec, event: dict, renumbered: set, renumbers) -> list[str]:
    """The intended differences that can explain a disagreement on this rule and event."""
    reasons = []
    fields = rule.fields() | {item.values[0] for item in rule.items() if "fieldref" in item.modifiers}
    for item in rule.items():
        raw = raw_at(event, item.field)
        values = values_at(event, item.field)
        if isinstance(raw, list) and len(raw) > 1:
            reasons.append("array_elements")
        if any(has_unicode_case(v) for v in values) or any(has_unicode_case(v) for v in item.values):
            reasons.append("unicode_case")
        if "fieldref" in item.modifiers and any(has_unicode_case(v) for v in values_at(event, item.values[0])):
            reasons.append("unicode_case")
        if "exists" in item.modifiers and None in values:
            reasons.append("exists_null")
        text_test = not set(item.modifiers) & {"gt", "gte", "lt", "lte", "exists"}
        if text_test and ((event["id"], item.field) in renumbered or any(renumbers(v) for v in item.values)):
            reasons.append("loader_renumbered")
        if set(item.modifiers) & {"gt", "gte", "lt", "lte"} and any(
                isinstance(v, str) and not is_number_text(v) for v in values):
            reasons.append("text_ordering")
        if "re" in item.modifiers and any("$" in str(r) for r in item.values) and any(
                isinstance(v, str) and "\n" in v for v in values):
            reasons.append("regex_multiline_anchor")
        if "week" in item.modifiers:
            reasons.append("week_numbering")
        if "windash" in item.modifiers and any(non_option_dash(r) for r in item.values) and any(
                isinstance(v, str) and any(d in v for d in "-/\u2013\u2014\u2015") for v in values):
            reasons.append("windash_every_dash")
        if "cidr" in item.modifiers:
            for value in values:
                if isinstance(value, str) and ":" in value and "." in value and any(
                        ":" not in network for network in item.values):
                    reasons.append("cidr_mapped")
                if not isinstance(value, str):
                    continue
                try:
                    address = ipaddress.ip_address(value)
                    if str(address) != value:
                        reasons.append("cidr_text")
                except ValueError:
                    reasons.append("cidr_text")
    if any(isinstance(raw_at(event, f), list) and len(raw_at(event, f)) > 1 for f in fields):
        reasons.append("array_elements")
    return sorted(set(reasons))
