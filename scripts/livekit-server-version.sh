#!/usr/bin/env bash
# Prints livekit-server's version, read from the one TypeScript constant (mock-server/config/server-version.ts).
set -euo pipefail
sed -n "s/^export const SERVER_VERSION = '\([^']*\)';$/\1/p" "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/mock-server/config/server-version.ts"
