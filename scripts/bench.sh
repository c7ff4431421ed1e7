#!/usr/bin/env bash
# `npm run bench`: every benchmark in bench/, one after another, and bench/RESULTS.md written anew from what they
# print: the machine, then each benchmark's command and output (medians and ratios, each comparison measured side
# by side in the same run, since the machines are shared and noisy). bench/run.js uses the stand-ins (started here
# when they are not running, before Node starts, so that it trusts the Shopify stand-in's CA, and stopped again
# afterwards); every other benchmark starts a private stand-in set (and n8n, where it runs in n8n) of its own.
# Takes about an hour. `npm run bench -- <name>...` runs only the benchmarks whose file names contain a name
# (e.g. `npm run bench -- delay payouts`) and leaves RESULTS.md as it is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
state="${CX_STANDINS_DIR:-$root/.standins}"
started=0
if [ ! -f "$state/env.json" ]; then
  bash "$here/run.sh" node "$here/standins.js" start
  started=1
fi
trap '[ "$started" = 1 ] && bash "$here/run.sh" node "$here/standins.js" stop' EXIT

only=("$@")
draft="$(mktemp)"
{
  echo "# Benchmark results"
  echo
  echo "Written by \`npm run bench\` (scripts/bench.sh) from what each benchmark printed; every ratio is of two things"
  echo "measured side by side in the same run. What each benchmark measures is said at the top of its file in bench/."
  echo
  echo "- Run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), shared), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- Node $(bash "$here/run.sh" node --version)"
} > "$draft"

# bench <title> <file> [args...]: runs bench/<file> from the project root and adds its command and output
bench() {
  local title="$1" file="$2"
  shift 2
  if [ ${#only[@]} -gt 0 ]; then
    local wanted=0 name
    for name in "${only[@]}"; do [[ "$file" == *"$name"* ]] && wanted=1; done
    [ "$wanted" = 1 ] || return 0
  fi
  printf '\n## %s\n\n```\n$ node bench/%s%s\n' "$title" "$file" "${*:+ $*}" >> "$draft"
  (cd "$root" && bash scripts/run.sh node "bench/$file" "$@") 2>&1 | tee -a "$draft"
  printf '```\n' >> "$draft"
}

bench "Triage throughput, win-back planning, batched Shopify lookups" run.js
bench "Triage in a real n8n against No Operation (n8n's floor)" triage-in-n8n.js
bench "Intake at Shopify's budget: a burst of tickets through the intake template in n8n, customer cache off and on" intake-burst.js
bench "Delay compensation: 100,000 orders in the window, 20 ms a request" delay-scale.js
bench "Return decisions: 100,000 generated return requests, no network" returns-decision.js
bench "Win-back at 10,000 and 100,000 customers" winback-scale.js
bench "Metrics over a million answers against a bare single pass" satisfaction-scale.js --runs 3
bench "Payouts under Stripe's rate limit" payouts-rate-limit.js
bench "Win-back in n8n against the same job from n8n's own nodes (10,000 customers), then 100,000 with Output \"Summary Only\"" winback-vs-n8n.js

if [ ${#only[@]} -eq 0 ]; then
  mv "$draft" "$root/bench/RESULTS.md"
  echo "wrote bench/RESULTS.md"
else
  rm -f "$draft"
fi
