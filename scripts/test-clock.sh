#!/usr/bin/env bash
# `npm run test:clock`: the unit and integration suites again with the clock moved 400 days ahead and 400
# days back (Debian's faketime, libfaketime), stand-ins included: every process but PostgREST's static binary
# sees the moved clock, as on a day a calendar brings. Proves that no test and no fixture expires: every
# fixture counts from the stand-ins' anchor, and every run's Now is passed down, not read below the node.
# Each offset gets a stand-in set of its own (own folder and ports), so it never meets the suite's stand-ins.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/provision.sh"
cx_provision node deps postgres faketime
cd "$CX_ROOT"
export PATH="$CX_ROOT/node_modules/.bin:$PATH"
export CX_TRUSTED_CA_FILE="${CX_TRUSTED_CA_FILE-${NODE_EXTRA_CA_CERTS:-}}"

# `npm run test:clock -- +30d` tries another offset
if [ $# -gt 0 ]; then offsets=("$@"); else offsets=(+400d -400d); fi
port="${CX_CLOCK_BASE_PORT:-25320}"
for offset in "${offsets[@]}"; do
  dir="$CX_ROOT/.standins-clock${offset}"
  printf '\n== clock %s: %s\n' "$offset" "$(faketime -f "$offset" date -u +%Y-%m-%dT%H:%MZ)"
  started=$(date +%s)
  CX_STANDINS_DIR="$dir" CX_STANDINS_BASE_PORT="$port" node scripts/standins.js stop >/dev/null 2>&1 || true
  status=0
  CX_STANDINS_DIR="$dir" CX_STANDINS_BASE_PORT="$port" faketime -f "$offset" bash -c '
    set -euo pipefail
    node scripts/standins.js start
    export NODE_EXTRA_CA_CERTS="$CX_STANDINS_DIR/ca-bundle.pem"
    jest --selectProjects unit
    jest --selectProjects integration --runInBand
  ' || status=$?
  CX_STANDINS_DIR="$dir" CX_STANDINS_BASE_PORT="$port" node scripts/standins.js stop >/dev/null 2>&1 || true
  printf '== clock %s: %s in %s s\n' "$offset" "$([ "$status" = 0 ] && echo green || echo "FAILED ($status)")" "$(( $(date +%s) - started ))"
  [ "$status" = 0 ] || exit "$status"
  port=$((port + 100))
done
