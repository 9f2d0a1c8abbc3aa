#!/usr/bin/env python3
"""make bench-orgs: the memory of one replica polling many organizations (issue 18 section 3).

Writes ORGS organization files (sources_dir: orgs/, three tunings: the config's own, disabled
rules with a level changed, a time zone with placeholders), serves their audit logs from a
loopback stand-in (a few sign-in events per organization, then empty pages), runs
`auditwatch run --config` until every organization has been polled ROUNDS times, and prints the
process's peak resident memory (VmHWM) against the 512 MiB target. By default over HTTPS with a
throwaway CA (as the real API is reached: one TLS client per organization), `--plain-http` for
plain loopback HTTP. Figures, never pass/fail.
"""
import argparse
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "sk-admin-bench-organizations"

TUNINGS = [
    "",
    "disabled_rules: [brute_force_source_ip]\nrule_levels: {brute_force_user: critical}\n",
    "time_zone: America/New_York\nplaceholders: {expected_countries: [US, CA]}\n",
]


class StandIn(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, events_per_org, now):
        super().__init__(("127.0.0.1", 0), Handler)
        self.events_per_org = events_per_org
        self.now = now
        self.lock = threading.Lock()
        self.polls = {}

    def page(self, org, query):
        with self.lock:
            self.polls[org] = self.polls.get(org, 0) + 1
        if "after" in query:
            return []
        since = int(query.get("effective_at[gte]", "0"))
        events = []
        for index in range(self.events_per_org):
            at = self.now - 1800 + index * 10
            if at < since:
                continue
            events.append({
                "id": f"{org}-e{index}", "object": "organization.audit_log", "type": "login.failed",
                "effective_at": at,
                "actor": {"type": "session", "session": {
                    "user": {"id": f"user-{org}", "email": f"dana@{org}.example"}, "ip_address": "203.0.113.7"}},
            })
        events.sort(key=lambda e: (e["effective_at"], e["id"]), reverse=True)
        return events


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path, _, raw = self.path.partition("?")
        parts = path.strip("/").split("/")
        if self.headers.get("Authorization") != "Bearer " + KEY or len(parts) < 4:
            self.reply(401, b'{"error":{"message":"bad key"}}')
            return
        query = {}
        for pair in raw.split("&"):
            name, _, value = pair.partition("=")
            query[name.replace("%5B", "[").replace("%5D", "]")] = value
        data = self.server.page(parts[0], query)
        body = json.dumps({
            "object": "list", "data": data, "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None, "has_more": False,
        }).encode()
        self.reply(200, body)

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def throwaway_ca(directory):
    """A self-signed certificate for 127.0.0.1 (the service trusts it through http.ca_bundle)."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True)
    return cert, key


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


def run(binary, orgs, rounds, events, tls, interval):
    directory = tempfile.mkdtemp(prefix="aw-bench-orgs-")
    now = int(time.time())
    server = StandIn(events, now)
    scheme = "http"
    http_section = ""
    if tls:
        cert, key = throwaway_ca(directory)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
        http_section = f"http: {{ca_bundle: {cert}}}\n"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    os.makedirs(os.path.join(directory, "orgs"))
    for index in range(orgs):
        name = f"org-{index:05d}"
        with open(os.path.join(directory, "orgs", name + ".yml"), "w") as file:
            file.write(
                f"admin_key: ${{BENCH_ADMIN_KEY}}\nbase_url: {scheme}://127.0.0.1:{port}/{name}/v1\n"
                f"poll_interval: {interval}s\nstart: 1h\n" + TUNINGS[index % len(TUNINGS)])
    config = os.path.join(directory, "auditwatch.yml")
    with open(config, "w") as file:
        file.write(
            f"rules: [{os.path.join(ROOT, 'rules')}]\nstate: state.sqlite\nsources_dir: orgs/\n{http_section}"
            "logging: {level: warning}\n")
    environment = dict(os.environ, BENCH_ADMIN_KEY=KEY)
    started = time.perf_counter()
    log = open(os.path.join(directory, "service.log"), "w+")
    child = subprocess.Popen([binary, "run", "--config", config], env=environment, stderr=log, stdout=subprocess.DEVNULL)
    first_round = None
    try:
        while True:
            if child.poll() is not None:
                log.seek(0)
                sys.exit(f"auditwatch exited with {child.returncode}:\n{log.read()[-4000:]}")
            with server.lock:
                done = min((server.polls.get(f"org-{i:05d}", 0) for i in range(orgs)), default=0)
            if done >= 1 and first_round is None:
                first_round = time.perf_counter() - started
            if done >= rounds:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        figures = memory(child.pid)
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        server.shutdown()
        log.close()
        shutil.rmtree(directory, ignore_errors=True)
    return {
        "orgs": orgs, "rounds": rounds, "transport": scheme, "peak_mib": figures["VmHWM"], "rss_mib": figures["VmRSS"],
        "first_round_s": first_round, "total_s": elapsed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/auditwatch"))
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=6, help="sign-in failures per organization (a brute force)")
    parser.add_argument("--interval", type=int, default=5, help="poll_interval of every organization, seconds")
    parser.add_argument("--plain-http", action="store_true", help="plain loopback HTTP instead of HTTPS")
    arguments = parser.parse_args()
    result = run(
        arguments.binary, arguments.orgs, arguments.rounds, arguments.events, not arguments.plain_http,
        arguments.interval)
    target = 512
    print(f"organizations: {result['orgs']} (3 tunings), the shipped pack, {arguments.events} sign-in failures each, "
          f"over {result['transport']} (one client per organization)")
    print(f"poll rounds: {result['rounds']}; first round done after {result['first_round_s']:.1f} s (start-up included), "
          f"{result['rounds']} rounds after {result['total_s']:.1f} s")
    print(f"peak RSS (VmHWM): {result['peak_mib']:.1f} MiB; RSS at the end: {result['rss_mib']:.1f} MiB; "
          f"target <= {target} MiB: {'met' if result['peak_mib'] <= target else 'NOT met'}")


if __name__ == "__main__":
    main()
