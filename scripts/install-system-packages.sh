#!/usr/bin/env bash
# Installs the Debian packages auditwatch builds against (and, with --test, tests with), when any is missing.
# As root it runs apt-get; otherwise it uses sudo when available, or says exactly what to run.
set -euo pipefail

# With --test also the validators the tests run: prometheus brings promtool (for /metrics and
# examples/prometheus; where systemd runs it also enables a Prometheus server, which
# `systemctl disable --now prometheus` stops), systemd brings systemd-analyze (the example unit),
# postgresql the throwaway server the state store tests start (initdb + postgres, as nobody under root).
packages=(libcurl4-openssl-dev libyaml-dev libsqlite3-dev libpq-dev tzdata pkg-config)
# make test runs the benign-month generator and its report (scripts/*.py).
packages+=(python3)
# chromium: the console's browser test (headless, loopback only).
if [ "${1:-}" = "--test" ]; then packages+=(prometheus systemd postgresql chromium); fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

command=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  "${command[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  sudo env DEBIAN_FRONTEND=noninteractive "${command[@]}"
else
  echo "auditwatch needs these Debian packages: ${missing[*]}" >&2
  echo "Install them as root with:  apt-get update && ${command[*]}" >&2
  exit 1
fi
