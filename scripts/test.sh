#!/usr/bin/env bash
# The whole test suite: installs what it needs (idempotent), type-checks, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --loglevel=error
bash scripts/install-system-packages.sh
bash scripts/install-livekit-server.sh
bash scripts/setup-python.sh
bash scripts/setup-python-sdk-tests.sh >/dev/null
bash scripts/build-go-sdk-tests.sh >/dev/null
# The container backend: the lab's own dockerd (host networking only), stopped when the run ends, and the local
# images (livekit-server from the binary above, the mock). Without Docker the container tests skip, except in CI.
if DOCKER_HOST="$(bash scripts/docker-up.sh)"; then
  export DOCKER_HOST
  trap 'bash scripts/docker-down.sh' EXIT
  bash scripts/build-livekit-image.sh >/dev/null
  bash scripts/build-mock-image.sh >/dev/null
elif [ -n "${CI:-}" ]; then
  exit 1
else
  echo "test.sh: no Docker here; the container tests are skipped" >&2
fi
npx tsc --noEmit
npm run build  # the library type-check under noUncheckedIndexedAccess, and the dist/ the package smoke test packs
npm run lint
DISPATCH_LAB_PREBUILT=1 npx vitest run "$@"
bash scripts/test-python-plugin.sh
