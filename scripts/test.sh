#!/usr/bin/env bash
# The whole test suite: installs what it needs (idempotent), type-checks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --loglevel=error
bash scripts/install-system-packages.sh
bash scripts/install-livekit-server.sh
bash scripts/setup-python.sh
npx tsc --noEmit
npm run build  # the library type-check under noUncheckedIndexedAccess, and the dist/ the package smoke test packs
npm run lint
DISPATCH_LAB_PREBUILT=1 npx vitest run "$@"
