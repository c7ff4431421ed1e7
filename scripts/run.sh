#!/usr/bin/env bash
# Runs a command with the project's Node 24 on PATH (provisioned from the npm registry when the system
# Node is older) and the stand-ins' CA trusted, e.g. `bash scripts/run.sh jest --selectProjects unit`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/provision.sh"
cx_node
cd "$CX_ROOT"
export PATH="$CX_ROOT/node_modules/.bin:$PATH"
# the bundle holds the certificates already trusted plus the Shopify stand-in's CA; the caller's own file
# is kept in CX_TRUSTED_CA_FILE so that the next bundle is built from it, not from an older bundle
export CX_TRUSTED_CA_FILE="${CX_TRUSTED_CA_FILE-${NODE_EXTRA_CA_CERTS:-}}"
ca="${CX_STANDINS_DIR:-$CX_ROOT/.standins}/ca-bundle.pem"
if [ -f "$ca" ]; then export NODE_EXTRA_CA_CERTS="$ca"; fi
exec "$@"
