#!/usr/bin/env python3
"""Writes examples/logs/acme-day.jsonl: one day (2026-03-17, UTC) of an organization's audit
log, shaped like OpenAI's API events, with a handful of incidents in it. Deterministic: the same
script always writes the same file. Run from the repository root:

    python3 examples/tools/generate-example-day.py > examples/logs/acme-day.jsonl
"""
import json
import random

rng = random.Random(20260317)
DAY = 1773705600  # 2026-03-17T00:00:00Z, a Tuesday
ORG_DOMAIN = "acme.example"
USERS = [f"{name}@{ORG_DOMAIN}" for name in (
    "alice", "bob", "carol", "dana", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "lena",
    "mike", "nina", "oscar", "peggy", "quinn", "rupert", "sybil", "trent", "uma", "victor", "wendy", "yara")]
USER_IDS = {email: "user-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24)) for email in USERS}
PROJECTS = [("proj_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop0123456789") for _ in range(24)), name)
            for name in ("Default project", "Support bot", "Search", "Data pipeline", "Research", "Billing assistant")]
SERVICE_ACCOUNTS = {"svc-ci": "svc_acct_8kT2mQ", "svc-etl": "svc_acct_Zp41Xa", "svc-backup": "svc_acct_Rr7cVd"}
OFFICE = [("198.51.100.%d" % n, "DE", "Berlin", "Berlin", "BE", "3320") for n in range(10, 40)]
REMOTE = [("192.0.2.%d" % n, "US", "San Francisco", "California", "CA", "7922") for n in range(50, 60)]
AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
]
HOME_NETWORK = {email: (OFFICE if i % 4 else REMOTE)[i % 10] for i, email in enumerate(USERS)}
events = []
counter = [0]


def event_id():
    counter[0] += 1
    return "audit_log-" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24))


def session(email, network=None, agent=None):
    ip, country, city, region, code, asn = network or HOME_NETWORK[email]
    return {"type": "session", "session": {
        "user": {"id": USER_IDS[email], "email": email}, "ip_address": ip,
        "user_agent": agent or AGENTS[USERS.index(email) % 3],
        "ja3": "%032x" % rng.getrandbits(128), "ja4": "t13d1516h2_8daaf6152771_02713d6af862",
        "ip_address_details": {"country": country, "city": city, "region": region, "region_code": code,
                               "asn": asn, "latitude": "52.52000", "longitude": "13.40500"}}}


def service_key(name):
    return {"type": "api_key", "api_key": {"id": "key_" + name.replace("-", ""), "type": "service_account",
                                           "service_account": {"id": SERVICE_ACCOUNTS[name]}}}


def user_key(email):
    return {"type": "api_key", "api_key": {"id": "key_" + email.split("@")[0], "type": "user",
                                           "user": {"id": USER_IDS[email], "email": email}}}


def add(at, type_, actor, detail=None, project=None):
    record = {"id": event_id(), "object": "organization.audit_log", "type": type_, "effective_at": DAY + at, "actor": actor}
    if project:
        record["project"] = {"id": project[0], "name": project[1]}
    if detail is not None:
        record[type_] = detail
    events.append(record)


def hms(hours, minutes=0, seconds=0):
    return hours * 3600 + minutes * 60 + seconds


# Ordinary working day: logins, logouts, the odd typo, keys and projects managed in office hours.
for email in USERS:
    start = hms(7) + rng.randint(0, 2 * 3600)
    if rng.random() < 0.3:
        add(start - 40, "login.failed", session(email), {"error_code": "invalid_credentials", "error_message": "Invalid username or password"})
    add(start, "login.succeeded", session(email), {})
    for _ in range(rng.randint(4, 10)):
        moment = start + rng.randint(600, 8 * 3600)
        project = rng.choice(PROJECTS)
        kind = rng.random()
        if kind < 0.35:
            add(moment, "api_key.created", session(email), {"id": "key_" + "%08x" % rng.getrandbits(32), "data": {"scopes": ["api.model.request"]}}, project)
        elif kind < 0.55:
            add(moment, "api_key.deleted", session(email), {"id": "key_" + "%08x" % rng.getrandbits(32)}, project)
        elif kind < 0.7:
            add(moment, "project.updated", session(email), {"id": project[0], "changes_requested": {"title": project[1]}}, project)
        elif kind < 0.85:
            add(moment, "api_key.updated", session(email), {"id": "key_" + "%08x" % rng.getrandbits(32), "changes_requested": {"scopes": ["api.model.request", "api.files.read"]}}, project)
        else:
            add(moment, "logout.succeeded", session(email), {})
            add(moment + 300, "login.succeeded", session(email), {})
    add(start + rng.randint(8 * 3600, 9 * 3600), "logout.succeeded", session(email), {})

# The CI service account rotates its key every night; the ETL account reads all day.
add(hms(1, 0, 5), "api_key.created", service_key("svc-ci"), {"id": "key_ci_rotated", "data": {"scopes": ["api.model.request"]}}, PROJECTS[0])
add(hms(1, 0, 9), "api_key.deleted", service_key("svc-ci"), {"id": "key_ci_previous"}, PROJECTS[0])
add(hms(9, 30), "project.created", session("alice@acme.example"), {"id": "proj_newSearchIndex01", "data": {"name": "Search v2", "title": "Search v2"}}, PROJECTS[2])
add(hms(9, 45), "invite.sent", session("alice@acme.example"), {"id": "invite-ok1", "data": {"email": "new.hire@acme.example", "role": "member"}})
add(hms(10, 20), "invite.accepted", None, {"id": "invite-ok1"})
add(hms(10, 21), "user.added", session("alice@acme.example"), {"id": "user-newhire0000000000000001", "data": {"role": "member"}})
add(hms(10, 0), "organization.updated", session("alice@acme.example"), {"id": "org-acme", "changes_requested": {"title": "ACME Corp", "description": "ACME production organization"}})

# Incident A: brute force against dana from one address, then a success and a key at night.
attacker = ("203.0.113.45", "RU", "Moscow", "Moscow", "MOW", "9009")
for n in range(9):
    add(hms(3, 12, n * 25), "login.failed", session("dana@acme.example", attacker, "python-requests/2.31.0"),
        {"error_code": "invalid_credentials", "error_message": "Invalid username or password"})
add(hms(3, 16, 40), "login.succeeded", session("dana@acme.example", attacker, "python-requests/2.31.0"), {})
add(hms(3, 20, 2), "api_key.created", session("dana@acme.example", attacker, "python-requests/2.31.0"),
    {"id": "key_exfil01", "data": {"scopes": ["api.model.request", "api.files.write"]}}, PROJECTS[3])

# Incident B: password spray, one address against many users.
sprayer = ("198.18.0.77", "NL", "Amsterdam", "North Holland", "NH", "60781")
for n, email in enumerate(USERS[:14]):
    add(hms(11, 40, n * 37), "login.failed", session(email, sprayer, "Go-http-client/1.1"),
        {"error_code": "invalid_credentials", "error_message": "Invalid username or password"})

# Incident C: the ETL service account archives three projects in two minutes.
for n, project in enumerate(PROJECTS[3:6]):
    add(hms(14, 5, n * 40), "project.archived", service_key("svc-etl"), {"id": project[0]}, project)

# Incident D/E: an owner invite to a personal address, then a promotion to owner.
add(hms(16, 30), "invite.sent", session("erin@acme.example"), {"id": "invite-x9", "data": {"email": "mallory.contractor@gmail.com", "role": "owner"}})
add(hms(16, 45), "user.updated", session("erin@acme.example"), {"id": USER_IDS["frank@acme.example"], "changes_requested": {"role": "owner"}})

# Incident F: the IP allowlist is switched off and SCIM disabled in the evening.
add(hms(19, 50), "ip_allowlist.config.deactivated", session("erin@acme.example"), {"configs": [{"id": "ipal_office", "name": "Office networks", "allowed_ips": ["198.51.100.0/24"]}]})
add(hms(19, 52), "scim.disabled", session("erin@acme.example"), {"id": "scim_okta"})

# Incident G: a rate limit raised far above normal.
add(hms(21, 10), "rate_limit.updated", session("grace@acme.example"), {"id": "rl_gpt4o", "changes_requested": {"max_tokens_per_1_minute": 50000000, "max_requests_per_1_minute": 100000}}, PROJECTS[4])

# Incident H: API keys created in four projects within twenty minutes, late at night.
for n, project in enumerate(PROJECTS[:4]):
    add(hms(22, 30 + n * 6), "api_key.created", user_key("grace@acme.example"), {"id": "key_burst%d" % n, "data": {"scopes": ["api.model.request"]}}, project)

# Incident I/J: a service account with the owner role, and an admin API key at midnight.
add(hms(15, 0), "service_account.created", session("ivan@acme.example"), {"id": "svc_acct_new01", "data": {"role": "owner"}}, PROJECTS[1])
add(hms(23, 5), "tenant.admin_api_key.created", session("erin@acme.example"), {"id": "key_admin01"})

events.sort(key=lambda record: (record["effective_at"], record["id"]))
for record in events:
    print(json.dumps(record, separators=(",", ":")))
