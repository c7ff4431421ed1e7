#!/usr/bin/env bash
# The pack in a real n8n, from a fresh clone, in one command (`npm run demo`):
#   provisions Node 24, the npm dependencies, PostgreSQL and n8n; builds the pack; starts the local
#   stand-ins for Shopify (a sample store of 3,000 customers with 206 return requests waiting), SendGrid, Supabase
#   and Stripe; seeds Supabase with weeks of tickets and survey answers (scripts/demo-seed.js); installs the pack
#   into n8n as a community package with credentials for the stand-ins and every workflow in workflows/; then runs
#   n8n in the foreground and prints the editor URL and the owner's login. Ctrl-C stops n8n and the stand-ins.
#
# Usage: bash scripts/demo.sh [--headless]    (--headless: run each workflow once, print what it decided, and
#                                              the daily returns desk three times (scripts/demo-returns.js);
#                                              the stand-ins keep running so the mailbox can be read)
#   N8N_PORT=5679 bash scripts/demo.sh   serve on another port (default 5678)
#   CX_SHOPIFY_CUSTOMERS=10000 ...       another store size (the tests keep the stand-in's default, 300)
#   CX_SHOPIFY_RETURN_REQUESTS=50 ...    generated return requests beside the six seeded ones (default 200)
#   CX_SHOPIFY_ANCHOR=2026-11-01T00:00:00Z ...  the day the store's history ends (default: today; tests: the latest Sunday)
# State lives in .n8n-demo/ (database, installed pack, owner password); delete it to start over.
set -euo pipefail

headless=0
for arg in "$@"; do
  case "$arg" in
    --headless) headless=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

source "$(dirname "${BASH_SOURCE[0]}")/provision.sh"
cd "$CX_ROOT"
port="${N8N_PORT:-5678}"
user_folder="$CX_ROOT/.n8n-demo"
owner_email="owner@example-store.test"
standins_env="${CX_STANDINS_DIR:-$CX_ROOT/.standins}/env.json"
mailbox_url() { node -p 'require(require("node:path").resolve(process.argv[1])).sendgrid.mailboxUrl' "$standins_env"; }
say() { printf '\n[demo] %s\n' "$*"; }

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is already in use on 127.0.0.1: stop what runs there or choose another with N8N_PORT=<port>" >&2
  exit 1
fi

say "provisioning Node 24, dependencies, PostgreSQL and n8n $CX_N8N_VERSION (cached after the first run)"
cx_provision all
export PATH="$CX_ROOT/node_modules/.bin:$PATH"

say "building the pack"
npm run build

# stop the stand-ins on the way out, unless they were already running before the demo
standins_started=0
cleanup() {
  if [ "$standins_started" = 1 ]; then
    say "stopping the stand-ins"
    node scripts/standins.js stop || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if node scripts/standins.js status >/dev/null 2>&1; then
  say "the stand-ins are already running; leaving them running afterwards"
else
  say "starting the local stand-ins (Shopify with ${CX_SHOPIFY_CUSTOMERS:-3000} customers, SendGrid, Supabase, Stripe)"
  standins_started=1
  # the store's history ends today, so deliveries, dormancy and surveys are as recent as the demo's clock
  CX_SHOPIFY_ANCHOR="${CX_SHOPIFY_ANCHOR:-$(date -u +%Y-%m-%dT00:00:00Z)}" CX_SHOPIFY_CUSTOMERS="${CX_SHOPIFY_CUSTOMERS:-3000}" \
    CX_SHOPIFY_RETURN_REQUESTS="${CX_SHOPIFY_RETURN_REQUESTS:-200}" node scripts/standins.js start
fi

say "seeding Supabase with the store's tickets and survey answers, and Shopify with its return requests"
CX_SHOPIFY_ANCHOR="${CX_SHOPIFY_ANCHOR:-$(date -u +%Y-%m-%dT00:00:00Z)}" \
  node scripts/demo-seed.js --return-requests "${CX_SHOPIFY_RETURN_REQUESTS:-200}"

say "installing the pack into n8n ($user_folder)"
node scripts/n8n-local.js install --user-folder "$user_folder"
node scripts/n8n-local.js credentials --user-folder "$user_folder"
shopt -s nullglob
workflows=(workflows/*.json)
shopt -u nullglob
node scripts/n8n-local.js import --user-folder "$user_folder" --publish-webhooks "${workflows[@]}"

if [ "$headless" = 1 ]; then
  say "running each workflow once, without the editor"
  # the daily returns desk runs three times below, with what a store owner checks after each run
  once=()
  for file in "${workflows[@]}"; do [ "$file" = workflows/daily-returns-desk.json ] || once+=("$file"); done
  node scripts/n8n-local.js run-all --user-folder "$user_folder" "${once[@]}"
  say "the daily returns desk, three times on the store's return requests: decided once, told once"
  node scripts/demo-returns.js --user-folder "$user_folder" --runs 3
  say "the emails the workflows sent: $(mailbox_url)"
  # the stand-ins stay up so the mailbox can be read; they hold the emails in memory
  if [ "$standins_started" = 1 ]; then
    standins_started=0
    say "the stand-ins keep running for the mailbox; stop them with: npm run standins stop"
  fi
  exit 0
fi

say "the emails the workflows send: $(mailbox_url)"
say "starting n8n on port $port"
node scripts/n8n-local.js serve --user-folder "$user_folder" --port "$port" --owner-email "$owner_email"
