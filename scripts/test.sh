#!/usr/bin/env bash
# The whole test suite: installs what it needs (idempotent), type-checks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --loglevel=error
bash scripts/install-system-packages.sh
bash scripts/install-livekit-server.sh
bash scripts/setup-python.sh
bash scripts/build-go-sdk-tests.sh >/dev/null
npx tsc --noEmit
npx vitest run "$@"
bash scripts/test-python-plugin.sh
