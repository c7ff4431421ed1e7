#!/usr/bin/env bash
# `npm test`: lint, build, a type-check of the tests, unit tests, then integration tests through the real SDKs against the local
# stand-ins, then end-to-end tests in a real n8n 2.x that loads the pack as a community package, then the
# editor in Debian's Chromium (screenshots in test/browser/artifacts/).
# Provisions what is missing first (Node 24, npm dependencies, PostgreSQL, n8n), from caches when it can.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/provision.sh"
cx_provision all
cd "$CX_ROOT"
export PATH="$CX_ROOT/node_modules/.bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "lint (n8n community-node rule sets)"
eslint nodes credentials package.json

step "build"
npm run build --silent

step "type-check the tests and benchmarks with the nodes (tsc --noEmit)"
tsc --noEmit -p tsconfig.json

step "unit tests"
jest --selectProjects unit

step "start the stand-ins (Supabase, Shopify, SendGrid, Stripe)"
export CX_TRUSTED_CA_FILE="${CX_TRUSTED_CA_FILE-${NODE_EXTRA_CA_CERTS:-}}"
node scripts/standins.js stop >/dev/null 2>&1 || true
node scripts/standins.js start
trap 'node scripts/standins.js stop' EXIT
export NODE_EXTRA_CA_CERTS="$CX_ROOT/.standins/ca-bundle.pem"  # the caller's CAs plus the Shopify stand-in's

step "integration tests (real SDKs against the stand-ins)"
jest --selectProjects integration --runInBand

step "end-to-end tests (real n8n $CX_N8N_VERSION with the pack installed as a community package)"
jest --selectProjects e2e --runInBand

step "browser test (the n8n editor in Chromium; screenshots in test/browser/artifacts/)"
jest --selectProjects browser --runInBand
