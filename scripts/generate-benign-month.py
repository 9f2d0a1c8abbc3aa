#!/usr/bin/env python3
"""Writes a benign month of an organization's audit log as JSON Lines, oldest first: June 2026
(30 days) of Northwind, a 300-person company with offices in Berlin, Vienna and Zurich, tuned as
examples/benign-month/placeholders.yml says. Nothing in it is an attack: people sign in from their
usual countries and browsers, mistype a password now and then, developers create and delete keys
and projects in business hours, HR invites new hires with company addresses, the platform team
nudges rate limits and the allowlist, a legacy service account is retired, and the CI service account
rotates its key every Monday night.

`make noise` runs the shipped rules over it; a quiet pack stays at or below one alert a day.
Deterministic: the same seed always writes the same bytes.

    python3 scripts/generate-benign-month.py [--seed N] > benign-month.jsonl
"""
import argparse
import json
import random
import sys

START = 1780272000  # 2026-06-01T00:00:00Z, a Monday
DAYS = 30
DOMAIN = "northwind.example"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
FIRST = ["anna", "ben", "clara", "david", "eva", "felix", "greta", "hannes", "ida", "jonas", "katrin", "lukas",
         "mia", "noah", "olga", "paul", "rosa", "simon", "tina", "uwe", "vera", "wolf", "xenia", "yannick", "zoe"]
LAST = ["adler", "bauer", "conrad", "dietrich", "engel", "fischer", "graf", "hartmann", "illner", "jung", "keller",
        "lang"]
# Offices: (share of staff, country, city, region, region_code, asn, network prefix, UTC offset in June).
OFFICES = [(250, "DE", "Berlin", "Berlin", "BE", "3320", "198.51.100.", 2),
           (30, "AT", "Vienna", "Vienna", "9", "8447", "192.0.2.", 2),
           (20, "CH", "Zurich", "Zurich", "ZH", "3303", "203.0.113.", 2)]
AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0",
]
PROJECTS = ["Default project", "Support assistant", "Search", "Docs summarizer", "Sales copilot", "Data pipeline",
            "Research", "Translation", "Code review bot", "Analytics"]
CI_ACCOUNT = "svc_acct_ci"


class Month:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.events = []
        self.people = []
        names = [(f, l) for l in LAST for f in FIRST]
        self.rng.shuffle(names)
        index = 0
        for share, *office in OFFICES:
            for _ in range(share):
                first, last = names[index]
                index += 1
                self.people.append({
                    "email": f"{first}.{last}@{DOMAIN}", "id": "user-" + self.token(24), "office": office,
                    "ip": office[5] + str(10 + self.rng.randrange(200)), "agent": self.rng.choice(AGENTS),
                    "activity": self.rng.uniform(0.35, 0.9)})
        self.developers = self.people[:80]
        self.admins = self.people[80:84]
        self.hr = self.people[84:86]
        self.projects = [{"id": "proj_" + self.token(24), "name": name} for name in PROJECTS]
        self.keys = {}

    def token(self, length):
        return "".join(self.rng.choice(ALPHABET) for _ in range(length))

    def add(self, kind, at, actor, detail=None, project=None):
        event = {"id": "audit_log-" + self.token(24), "object": "organization.audit_log", "type": kind,
                 "effective_at": at, "actor": actor}
        if project:
            event["project"] = project
        if detail is not None:
            event[kind] = detail
        self.events.append(event)

    def session(self, person):
        country, city, region, code, asn, _, _ = person["office"]
        return {"type": "session", "session": {
            "user": {"id": person["id"], "email": person["email"]}, "ip_address": person["ip"],
            "user_agent": person["agent"],
            "ip_address_details": {"country": country, "city": city, "region": region, "region_code": code,
                                   "asn": asn}}}

    def office_time(self, day, person, start=8.5, end=18.0):
        """A moment of `day` inside the person's local working hours, as Unix seconds."""
        offset = person["office"][6]
        local = self.rng.uniform(start, end)
        return START + day * 86400 + int((local - offset) * 3600)

    def sign_in(self, day, person):
        at = self.office_time(day, person, 8.0, 17.0)
        if self.rng.random() < 0.03:  # a mistyped password, then the right one
            self.add("login.failed", at - self.rng.randrange(20, 90), self.session(person),
                     {"error_code": "invalid_credentials", "error_message": "Invalid username or password"})
        self.add("login.succeeded", at, self.session(person), {})
        if self.rng.random() < 0.7:
            self.add("logout.succeeded", at + self.rng.randrange(600, 14400), self.session(person), {})
        return at

    def key_work(self, day, person):
        project = self.rng.choice(self.projects[:6])
        at = self.office_time(day, person, 9.0, 17.5)
        key = "key_" + self.token(16)
        self.add("api_key.created", at, self.session(person),
                 {"id": key, "data": {"scopes": ["api.model.request"]}}, project)
        self.keys.setdefault(person["email"], []).append((key, project))
        if len(self.keys[person["email"]]) > 2 and self.rng.random() < 0.6:
            old, old_project = self.keys[person["email"]].pop(0)
            self.add("api_key.deleted", at + self.rng.randrange(60, 900), self.session(person), {"id": old},
                     old_project)

    def generate(self):
        hires = []
        for day in range(DAYS):
            weekday = day % 7  # 0 Monday
            workday = weekday < 5
            for person in self.people:
                chance = person["activity"] if workday else 0.02
                # Everyone signs in during the first week (the rules' learning week).
                if workday and day < 5 and person.get("seen") is None:
                    chance = max(chance, 0.55 if day < 4 else 1.0)
                if self.rng.random() < chance:
                    self.sign_in(day, person)
                    person["seen"] = True
            if weekday == 0:  # the CI account rotates its key at 02:00 UTC every Monday
                at = START + day * 86400 + 7200
                actor = {"type": "api_key", "api_key": {"id": "key_ci_" + str(day), "type": "service_account",
                                                        "service_account": {"id": CI_ACCOUNT}}}
                new = "key_ci_" + str(day + 7)
                self.add("api_key.created", at, actor, {"id": new, "data": {"scopes": ["api.model.request"]}},
                         self.projects[0])
                self.add("api_key.deleted", at + 30, actor, {"id": "key_ci_" + str(day)}, self.projects[0])
            if not workday:
                continue
            for person in self.rng.sample(self.developers, 3):
                self.key_work(day, person)
            for person in self.rng.sample(self.developers, 2):
                project = self.rng.choice(self.projects)
                self.add("project.updated", self.office_time(day, person), self.session(person),
                         {"id": project["id"], "changes_requested": {"title": project["name"]}}, project)
            if self.rng.random() < 0.25:
                person = self.rng.choice(self.admins)
                project = self.rng.choice(self.projects[:6])
                limit = self.rng.choice([150000, 200000, 300000, 450000])
                self.add("rate_limit.updated", self.office_time(day, person), self.session(person),
                         {"id": "rl_" + self.token(10), "changes_requested": {"max_tokens_per_1_minute": limit,
                                                                            "max_requests_per_1_minute": 500}},
                         project)
            if day in (3, 10, 17):
                person = self.rng.choice(self.developers)
                name = "Experiment " + str(day)
                project = {"id": "proj_" + self.token(24), "name": name}
                at = self.office_time(day, person)
                self.add("project.created", at, self.session(person), {"id": project["id"], "data": {"name": name}},
                         project)
                self.projects.append(project)
                assignment = {"id": "ra_" + self.token(12), "principal_id": person["id"], "principal_type": "user",
                              "resource_id": project["id"], "resource_type": "project"}
                self.add("role.assignment.created", at + 120, self.session(person), assignment, project)
            if day == 24:
                person = self.rng.choice(self.developers)
                project = self.projects[-3]
                self.add("project.archived", self.office_time(day, person), self.session(person),
                         {"id": project["id"]}, project)
            if day == 8:
                admin = self.admins[0]
                self.add("service_account.created", self.office_time(day, admin), self.session(admin),
                         {"id": "svc_acct_" + self.token(10), "data": {"role": "member"}}, self.projects[1])
            if day == 9:  # the Vienna office's new uplink joins the allowlist, from the Berlin office
                admin = self.admins[2]
                self.add("ip_allowlist.updated", self.office_time(day, admin), self.session(admin),
                         {"id": "ipal_offices", "allowed_ips": ["198.51.100.0/24", "192.0.2.0/24", "203.0.113.0/24"]})
            if day == 11:  # a key narrowed to what its service needs; a pending invitation withdrawn
                person = self.developers[5]
                self.add("api_key.updated", self.office_time(day, person), self.session(person),
                         {"id": "key_" + self.token(16), "changes_requested": {"scopes": ["api.model.request"]}},
                         self.projects[2])
                hr = self.hr[0]
                self.add("invite.deleted", self.office_time(day, hr), self.session(hr),
                         {"id": "invite-" + self.token(12)})
            if day == 22:  # a service account from last year retired
                admin = self.admins[0]
                self.add("service_account.deleted", self.office_time(day, admin), self.session(admin),
                         {"id": "svc_acct_legacy01"}, self.projects[3])
            if day == 15:
                admin = self.admins[1]
                self.add("organization.updated", self.office_time(day, admin), self.session(admin),
                         {"id": "org-northwind", "changes_requested": {"description": "Northwind GmbH"}})
            if day in (0, 7, 14, 21):  # new hires, invited on Mondays, start the next day
                for _ in range(1 if day else 2):
                    first, last = self.rng.choice(FIRST), "neu" + self.token(4).lower()
                    hire = {"email": f"{first}.{last}@{DOMAIN}", "id": "user-" + self.token(24),
                            "office": OFFICES[0][1:], "ip": "198.51.100." + str(10 + self.rng.randrange(200)),
                            "agent": self.rng.choice(AGENTS), "activity": 0.8, "seen": True}
                    hr = self.rng.choice(self.hr)
                    at = self.office_time(day, hr, 9.0, 12.0)
                    invite = "invite-" + self.token(12)
                    self.add("invite.sent", at, self.session(hr),
                             {"id": invite, "data": {"email": hire["email"], "role": "member"}})
                    accepted = self.office_time(day + 1, hire, 8.0, 9.0)
                    self.add("invite.accepted", accepted, None, {"id": invite})
                    hires.append((day + 1, hire))
            for start, hire in hires:
                if day == start:
                    self.people.append(hire)
        self.events.sort(key=lambda e: (e["effective_at"], e["id"]))
        return self.events


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = sys.stdout
    for event in Month(args.seed).generate():
        out.write(json.dumps(event, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
