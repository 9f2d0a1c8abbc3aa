#!/usr/bin/env bash
# Installs the Debian packages auditwatch builds against, when any is missing.
# As root it runs apt-get; otherwise it uses sudo when available, or says exactly what to run.
set -euo pipefail

packages=(libcurl4-openssl-dev libyaml-dev libsqlite3-dev tzdata pkg-config)
# make test runs the benign-month generator and its report (scripts/*.py).
packages+=(python3)
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
