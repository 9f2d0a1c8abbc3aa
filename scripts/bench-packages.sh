#!/usr/bin/env bash
# Installs what `make bench` compares auditwatch with, when any is missing: jq, Debian's simdjson
# (the bench builds a small C++ filter against it with g++), valgrind for `make profile`, and
# orjson for the Python filter. Only `make bench` / `make profile` run this, never `make test`.
# As root it runs apt-get; otherwise it uses sudo when available, or says exactly what to run.
set -euo pipefail

packages=(jq libsimdjson-dev g++ valgrind python3)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  command=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    "${command[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    sudo env DEBIAN_FRONTEND=noninteractive apt-get update
    sudo env DEBIAN_FRONTEND=noninteractive "${command[@]}"
  else
    echo "make bench needs these Debian packages: ${missing[*]}" >&2
    echo "Install them as root with:  apt-get update && ${command[*]}" >&2
    exit 1
  fi
fi

python=$(command -v "${PYTHON:-python3}")
"$python" -c 'import orjson' 2>/dev/null && exit 0
echo "installing orjson for the bench's Python filter" >&2
options=(--quiet --disable-pip-version-check)
if [ "$(id -u)" -ne 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then options+=(--user); fi
"$python" -m pip install "${options[@]}" orjson || "$python" -m pip install "${options[@]}" --break-system-packages orjson
