#!/usr/bin/env bash
# Installs the reference implementation the conformance test compares against (pySigma and its
# SQLite backend, pinned) into the user's Python, when it is missing or another version.
set -euo pipefail

wanted=(pySigma==2.0.1 pysigma-backend-sqlite==2.1.1)
python=$(command -v "${PYTHON:-python3}" || true)
[ -n "$python" ] || { echo "the conformance test needs python3 (3.11+) with pip for: ${wanted[*]}" >&2; exit 1; }
"$python" - <<'PY' 2>/dev/null && exit 0
import importlib.metadata as m, sigma.backends.sqlite  # noqa: F401
assert m.version("pySigma") == "2.0.1" and m.version("pysigma-backend-sqlite") == "2.1.1"
PY

echo "installing ${wanted[*]} for the conformance test" >&2
if ! "$python" -m pip --version >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip
fi
options=(--quiet --disable-pip-version-check)
if [ "$(id -u)" -ne 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then options+=(--user); fi
# Debian's own Python refuses pip outside a virtual environment (PEP 668); pySigma and the
# backend are pure Python that nothing of the system's depends on.
"$python" -m pip install "${options[@]}" "${wanted[@]}" \
  || "$python" -m pip install "${options[@]}" --break-system-packages "${wanted[@]}"
