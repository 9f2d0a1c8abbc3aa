#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target under Fuzz/Corpus/ from the project's own files
(rules, example logs, example config) and hand-written edge cases. SigmaHQ rules are copied
unmodified from the shared tarball when SIGMAHQ_DIR points at its unpacked `sigmahq/` folder.

Run from the repository root: python3 Fuzz/tools/make-seeds.py
Seeds a fuzz run adds later (libFuzzer minimizes them) stay out of git; see docs/fuzzing.md.
"""
import glob
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")

# Small SigmaHQ rules (Detection Rule License 1.1), each for a feature: keywords, |all,
# placeholders, regex, a long-value condition.
SIGMAHQ_FILES = [
    "rules/linux/builtin/lnx_shellshock.yml",
    "rules/windows/process_creation/proc_creation_win_lolbin_pubprn.yml",
    "rules-placeholder/windows/process_creation/proc_creation_win_userdomain_variable_enumeration.yml",
    "rules-threat-hunting/windows/process_creation/proc_creation_win_powershell_abnormal_commandline_size.yml",
    "rules-threat-hunting/web/proxy_generic/proxy_susp_class_extension_request.yml",
    "rules-emerging-threats/2023/Malware/dns_query_win_malware_socgholish_second_stage_c2.yml",
]


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(data)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as handle:
        return handle.read()


def json_seeds():
    lines = read("examples/logs/acme-day.jsonl").decode().splitlines()
    seen = set()
    for line in lines:
        kind = json.loads(line)["type"]
        if kind not in seen:
            seen.add(kind)
            write("json", "acme-" + kind.replace(".", "-") + ".json", line)
    for index, event in enumerate(json.loads(read("examples/logs/spec-examples.json"))):
        write("json", "spec-%d.json" % index, json.dumps(event, indent=2, ensure_ascii=False))
    edge = {
        "escapes.json": r'{"id":"e\u0041\n\t\"\\\/","type":"login.failed","effective_at":1,"x":"\ud83d\ude00 \ud800"}',
        "numbers.json": '[0,-0,1.5e300,-1E-400,123456789012345678901234567890,9223372036854775807,'
                        '-9223372036854775808,9223372036854775808,1.0,2e+5]',
        "literals.json": '[true,false,null,{},[],"",{"":""}]',
        "nested.json": '{"a":' * 40 + '1' + '}' * 40,
        "utf8.json": '{"id":"ü€😀","type":"invite.sent","effective_at":1720000000,"k":"日本語 \u0000"}',
        "duplicate-keys.json": '{"id":"a","id":"b","type":"x","type":1,"effective_at":1,"effective_at":"2"}',
        "list.json": '{"object":"list","data":[{"id":"a","type":"t","effective_at":2},'
                     '{"id":"b","type":"t","effective_at":1}],"has_more":false}',
        "whitespace.json": ' \t\r\n{ "id" : "a" , "type" : "t" , "effective_at" : 1 } \n',
        "bad-trailing.json": '{"id":"a"} x',
        "bad-control.json": '{"id":"a\x01"}',
        "bad-utf8.json": b'{"id":"\xed\xa0\x80\xc0\xaf"}',
    }
    for name, text in edge.items():
        write("json", name, text)


def event_seeds():
    lines = read("examples/logs/acme-day.jsonl").decode().splitlines()
    write("events", "acme-first-20.jsonl", "\n".join(lines[:20]) + "\n")
    write("events", "acme-no-final-newline.jsonl", "\n".join(lines[20:25]))
    write("events", "crlf-and-blank.jsonl", "\r\n".join(lines[25:28]) + "\r\n\r\n  \n" + lines[28])
    write("events", "malformed-lines.jsonl", lines[30] + "\n{not json}\n[1,2]\n\"text\"\n" + lines[31] + "\n"
          + '{"id":"x","type":"t"}\n' + '{"id":1,"type":"t","effective_at":1}\n')
    write("events", "spec-array.json", read("examples/logs/spec-examples.json"))
    page = {"object": "list", "data": [json.loads(line) for line in lines[40:44]],
            "first_id": "a", "last_id": "b", "has_more": True}
    write("events", "list-response.json", json.dumps(page, indent=2))
    write("events", "list-response-line.jsonl", json.dumps(page) + "\n" + lines[45] + "\n")
    write("events", "single-event-pretty.json", json.dumps(json.loads(lines[50]), indent=4))
    write("events", "not-json.txt", "audit log\n")
    write("events", "empty.jsonl", "\n\n")


def regex_seeds():
    # One options byte (bit 0 i, bit 1 m, bit 2 s), the pattern, NUL, a subject.
    patterns = [
        (1, r"^(python-requests|python-urllib|aiohttp|httpx|curl|wget|go-http-client|okhttp|java/)", "curl/8.5.0"),
        (0, r"[a-f0-9]{4,8}\.(?:[a-z0-9\-]+\.){2}[a-z0-9\-]+", "abcd12.x.y.example"),
        (0, r"^[a-z_]+$", "service_account"),
        (0, r"(a|b)*c{2,}d?", "ababccd"),
        (2, r"^line$", "first\nline\n"),
        (4, r"a.b", "a\nb"),
        (0, r"\d+\s\w+[^\S]\.", "12 ab ."),
        (0, r"(?:x{0,3}){2,4}y+?z*", "xxxyyy"),
        (0, r"[\x41-\x5a\u00e4-\u00f6]", "Ä"),
        (0, r"\bword\b|\$|\^|\\", "a word"),
        (0, r"ü+€", "üü€"),
        (0, r"(((a)))|()", ""),
    ]
    for index, (flags, pattern, subject) in enumerate(patterns):
        write("regex", "pattern-%02d" % index, bytes([flags]) + pattern.encode() + b"\0" + subject.encode())


def yaml_seeds():
    for path in sorted(glob.glob(os.path.join(ROOT, "rules", "*", "*.yml")))[:6]:
        write("yaml", "rule-" + os.path.basename(path), read(path))
    write("yaml", "calendars.yml", read("rules/calendars.yml"))
    write("yaml", "auditwatch.yml", read("examples/auditwatch.yml"))
    edge = {
        "anchors.yml": "base: &b {a: 1, b: [x, y]}\ncopy: *b\nmerge:\n  <<: *b\n  c: 3\n",
        "multi-document.yml": "---\na: 1\n...\n---\n- b\n- c\n---\n",
        "tags-and-styles.yml": "a: !!str 1\nb: 'single ''q'''\nc: \"dq \\u00e9 \\x41\"\nd: |\n  lit\n  eral\n"
                               "e: >-\n  fold\n  ed\n",
        "flow.yml": "{a: [1, {b: c}], ? complex : key, \"q\": null}\n",
        "bad-indent.yml": "a:\n  b: 1\n c: 2\n",
        "bad-alias.yml": "a: *missing\n",
        "nested.yml": "a:\n" + "".join("  " * i + "- \n" for i in range(1, 20)),
    }
    for name, text in edge.items():
        write("yaml", name, text)


def rule_seeds():
    for path in sorted(glob.glob(os.path.join(ROOT, "rules", "*", "*.yml"))):
        write("rules", "pack-" + os.path.basename(path), read(path))
    write("rules", "pack-calendars.yml", read("rules/calendars.yml"))
    for path in sorted(glob.glob(os.path.join(ROOT, "rules", "tests", "*.yml")))[:3]:
        write("rules", "pack-test-" + os.path.basename(path), read(path))
    sigma = os.environ.get("SIGMAHQ_DIR")
    if sigma:
        for path in SIGMAHQ_FILES:
            target = os.path.join(CORPUS, "rules", "sigmahq-" + os.path.basename(path))
            shutil.copyfile(os.path.join(sigma, path), target)
    else:
        print("SIGMAHQ_DIR not set: the SigmaHQ seeds are left as they are", file=sys.stderr)
    write("rules", "modifiers.yml", """title: Every modifier
id: every_modifier
logsource: {product: openai, service: audit_log}
detection:
  sel:
    type|startswith: 'login.'
    actor.email|endswith|windash: '@example.com'
    actor.ip|cidr: [203.0.113.0/24, '2001:db8::/32']
    actor.session.user_agent|re: '^curl/[0-9.]+$'
    actor.session.user_agent|re|i: '^(curl|wget)/'
    details.data.role|contains|all: [own, er]
    effective_at|gte: 1700000000
    details.data.email|base64offset|contains: admin
    details.data.count|lt: 5
    missing: null
    other|exists: false
    name|fieldref: actor.email
    w: 'wild*card?\\\\*'
  keywords:
    - Berlin
  condition: sel and not keywords or 1 of sel* or all of them
level: low
""")
    write("rules", "correlation.yml", """title: Failed logins
id: failed_logins
name: failed_logins
logsource: {product: openai, service: audit_log}
detection:
  sel: {type: login.failed}
  condition: sel
level: low
---
title: Many failed logins
id: many_failed_logins
correlation:
  type: event_count
  rules: [failed_logins]
  group-by: [actor.email]
  timespan: 10m
  condition: {gte: 3}
level: high
---
title: Distinct ips
correlation:
  type: value_count
  rules: failed_logins
  group-by: [actor.email]
  timespan: 1h
  condition: {field: actor.ip, gt: 2}
level: medium
---
title: Ordered
correlation:
  type: temporal_ordered
  rules: [failed_logins, failed_logins]
  timespan: 5m
level: medium
""")


def condition_seeds():
    conditions = [
        "sel_login", "sel_login and not filter_ip", "1 of sel*", "all of sel_*", "all of them",
        "1 of them and not 1 of filter_*", "(sel_login or sel_key) and (selection and not keywords)",
        "not not not sel_login", "sel_login | count() > 3", "((((sel_key))))", "keywords or none",
        "sel_login and", "(sel_login", "unknown_selection", "1 of *", "sel_login AND NOT filter_ip",
    ]
    for index, condition in enumerate(conditions):
        write("condition", "condition-%02d" % index, condition)


def config_seeds():
    write("config", "example-auditwatch.yml", read("examples/auditwatch.yml"))
    write("config", "minimal.yml", "rules: [rules]\n")
    write("config", "notifiers.yml", """rules: [rules]
notifiers:
  hook:
    type: webhook
    url: https://siem.example.com/hook
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
    rate_limit: 5/s
    template: "{rule.title} by {actor.email|default:someone} at {time|time:Europe/Berlin}"
  slack:
    type: slack
    url: http://hooks.slack.example/x
  pd:
    type: pagerduty
    routing_key: literal-key
routes:
  - levels: [high, critical]
    tags: [attack.persistence]
    notifiers: [hook, slack]
    continue: true
default_notifiers: [pd]
delivery: {retry_for: 2h, backoff_base: 2s, backoff_cap: 10m, max_retry_after: 1m}
http: {connect_timeout: 3s, timeout: 20s, proxy: "http://127.0.0.1:3128"}
engine: {lateness: 90s}
server: {listen: "127.0.0.1:9464"}
logging: {format: json, level: debug}
""")
    write("config", "sources.yml", """sources:
  openai:
    type: openai
    api_key: ${OPENAI_ADMIN_KEY}
    poll_interval: 30s
notifiers:
  out: {type: stdout}
""")
    write("config", "errors.yml", "rulez: x\nnotifiers:\n  a: {type: carrier-pigeon, url: ftp://x}\n"
                                  "routes: [{notifiers: [b]}]\nserver: {listen: 'localhost'}\n")


def main():
    json_seeds()
    event_seeds()
    regex_seeds()
    yaml_seeds()
    rule_seeds()
    condition_seeds()
    config_seeds()


if __name__ == "__main__":
    main()
