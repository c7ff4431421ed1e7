#!/usr/bin/env bash
# `npm run bench`: the benchmarks in bench/, with the stand-ins running (started here when they are not,
# before Node starts, so that it trusts the Shopify stand-in's CA) and stopped again afterwards; then the
# win-back scale benchmark, which brings its own stand-ins (bench/winback-scale.js).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${CX_STANDINS_DIR:-$here/../.standins}"
started=0
if [ ! -f "$state/env.json" ]; then
  bash "$here/run.sh" node "$here/standins.js" start
  started=1
fi
trap '[ "$started" = 1 ] && bash "$here/run.sh" node "$here/standins.js" stop' EXIT
bash "$here/run.sh" node "$here/../bench/run.js"
bash "$here/run.sh" node "$here/../bench/satisfaction-scale.js"  # a million survey responses through the metrics accumulators, pure
# win-back at 10,000 and 100,000 customers, each on a private stand-in set it starts and stops itself
bash "$here/run.sh" node "$here/../bench/winback-scale.js"
