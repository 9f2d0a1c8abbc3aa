#!/usr/bin/env bash
# Installs a built auditwatch under a prefix (`make install`, `make dist`):
#   bin/auditwatch, share/auditwatch/rules (the shipped rules and their tests),
#   share/man/man1/auditwatch.1 (generated from --help), bash/zsh/fish completions,
#   lib/systemd/system/auditwatch.service, share/auditwatch/examples, share/doc/auditwatch.
# Usage: scripts/install.sh BINARY GENERATE_MANUAL ROOT PREFIX
#   ROOT is where files go ($DESTDIR$PREFIX, or a tarball's folder); PREFIX is where they will
#   be at run time (written into the systemd unit).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=$1 manual_tool=$2 root=$3 prefix=$4
[ -x "$binary" ] || { echo "install: no binary at $binary" >&2; exit 1; }
[ -x "$manual_tool" ] || { echo "install: no generate-manual tool at $manual_tool" >&2; exit 1; }

install -d "$root/bin" "$root/share/auditwatch" "$root/share/man/man1" "$root/lib/systemd/system" \
  "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d" \
  "$root/share/doc/auditwatch"
install -m 0755 "$binary" "$root/bin/auditwatch"

rm -rf "$root/share/auditwatch/rules"
cp -R rules "$root/share/auditwatch/rules"
chmod -R u=rwX,go=rX "$root/share/auditwatch/rules"

"$root/bin/auditwatch" --generate-completion-script bash > "$root/share/bash-completion/completions/auditwatch"
"$root/bin/auditwatch" --generate-completion-script zsh > "$root/share/zsh/site-functions/_auditwatch"
"$root/bin/auditwatch" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/auditwatch.fish"

# swift-argument-parser's generate-manual reads the tool's own --help (as JSON) into mdoc.
# SOURCE_DATE_EPOCH, when set, dates the page (reproducible releases).
date_option=()
[ -n "${SOURCE_DATE_EPOCH:-}" ] && date_option=(--date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)")
"$manual_tool" "$root/bin/auditwatch" "${date_option[@]}" --output-directory "$root/share/man/man1"
[ -s "$root/share/man/man1/auditwatch.1" ] || { echo "install: no man page was generated" >&2; exit 1; }

sed "s|/usr/local/bin/auditwatch|$prefix/bin/auditwatch|g" examples/deploy/auditwatch.service \
  > "$root/lib/systemd/system/auditwatch.service"
chmod 0644 "$root/lib/systemd/system/auditwatch.service"

# The examples beside the rules: the shipped rules' tests read examples/logs from there.
rm -rf "$root/share/auditwatch/examples"
mkdir -p "$root/share/auditwatch/examples"
cp -R examples/auditwatch.yml examples/logs examples/prometheus examples/deploy examples/ci examples/rules-repo \
  "$root/share/auditwatch/examples/"
cp README.md "$root/share/doc/auditwatch/"
if [ -f docs/config.md ]; then cp docs/config.md "$root/share/doc/auditwatch/"; fi
echo "installed auditwatch in $root"
