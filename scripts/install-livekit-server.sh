#!/usr/bin/env bash
# Installs what the real-server backends need: livekit-server (the version in mock-server/config/server-version.ts, built from its Go module into the
# git-ignored .tools/bin) and Debian's redis-server for the two-node cluster target. Idempotent: a second
# run finds both and returns at once.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="$(bash "$REPO_ROOT/scripts/livekit-server-version.sh")"
TOOLS_BIN="$REPO_ROOT/.tools/bin"
TARGET="$TOOLS_BIN/livekit-server"

ensure_redis() {
  if command -v redis-server >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "redis-server is missing (needed only for the cluster target): install it with your package manager, e.g. 'sudo apt-get install -y redis-server'" >&2
    return 0
  fi
  echo "installing redis-server (for the two-node cluster target)…" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  # Debian's package starts a system service on 6379; the harness starts its own servers, so stop it if it runs.
  if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
}

ensure_livekit() {
  if [ -n "${LIVEKIT_SERVER_BIN:-}" ]; then
    if [ -x "$LIVEKIT_SERVER_BIN" ]; then
      echo "$LIVEKIT_SERVER_BIN"
      return 0
    fi
    echo "LIVEKIT_SERVER_BIN=$LIVEKIT_SERVER_BIN is not an executable file" >&2
    exit 1
  fi
  if [ -x "$TARGET" ] && "$TARGET" --version 2>/dev/null | grep -q "version $VERSION\$"; then
    echo "$TARGET"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "cannot build livekit-server: the Go toolchain ('go') is not installed; install Go >= 1.24 or set LIVEKIT_SERVER_BIN to a livekit-server v$VERSION binary" >&2
    exit 1
  fi
  echo "building livekit-server v$VERSION from its Go module, first time takes a few minutes…" >&2
  mkdir -p "$TOOLS_BIN"
  GOBIN="$TOOLS_BIN" go install "github.com/livekit/livekit-server/cmd/server@v$VERSION"
  mv -f "$TOOLS_BIN/server" "$TARGET"
  echo "$TARGET"
}

# redis first, so the last stdout line is always the server path
ensure_redis
ensure_livekit
