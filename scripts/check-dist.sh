#!/usr/bin/env bash
# Checks that an unpacked release runs on a machine without Swift: the binary links no Swift
# library, and, in a mount namespace where the Swift toolchain's folder is an empty tmpfs, it
# starts, validates and tests the shipped rules, and initialises a project whose tests pass.
# Usage: scripts/check-dist.sh DIST_FOLDER
set -euo pipefail
dist=$(cd "$1" && pwd)
binary="$dist/bin/auditwatch"

if ldd "$binary" | grep -i 'libswift\|libFoundation\|libdispatch'; then
  echo "check-dist: $binary still links the Swift runtime (above)" >&2
  exit 1
fi

swift_root=""
if command -v swift >/dev/null 2>&1; then
  swift_root=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
fi
checks=$(cat <<SCRIPT
set -euo pipefail
if command -v swift >/dev/null 2>&1 && swift --version >/dev/null 2>&1; then echo "check-dist: swift still runs" >&2; exit 1; fi
"$binary" --version
"$binary" rules validate --strict "$dist/share/auditwatch/rules"
"$binary" rules test --require-coverage "$dist/share/auditwatch/rules" | tail -1
work=\$(mktemp -d)
trap 'rm -rf "\$work"' EXIT
"$binary" init "\$work/project" > /dev/null
cd "\$work/project" && "$binary" rules test --require-coverage rules tests | tail -1
SCRIPT
)
if [ -n "$swift_root" ] && [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  echo "check-dist: running $binary with $swift_root hidden"
  unshare -m bash -c "mount -t tmpfs none '$swift_root' && $checks"
else
  echo "check-dist: cannot hide the Swift toolchain here (needs root and unshare); checked ldd only, running as is" >&2
  bash -c "$checks"
fi
echo "check-dist: OK"
