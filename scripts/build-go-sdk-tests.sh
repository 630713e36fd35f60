#!/usr/bin/env bash
# Builds the integration tests that ship inside server-sdk-go's Go module (pinned; from the Go module proxy, as
# its own CI builds them) into one test binary under the git-ignored .tools/bin, so the suite can run against the
# mock and the real server. Idempotent: a second run finds the binary and returns at once.
set -euo pipefail

VERSION="2.19.0"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="$REPO_ROOT/.tools/bin/server-sdk-go-v$VERSION.test"
[ -x "$TARGET" ] && { echo "$TARGET"; exit 0; }
command -v go >/dev/null 2>&1 || { echo "cannot build server-sdk-go's tests: the Go toolchain ('go') is not installed" >&2; exit 1; }

echo "building server-sdk-go v$VERSION's integration tests (first time takes a few minutes)…" >&2
MODDIR="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/livekit/server-sdk-go/v2@v$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$MODDIR/." "$WORK/"
chmod -R u+w "$WORK"
mkdir -p "$(dirname "$TARGET")"
(cd "$WORK" && go test -c -o "$TARGET" .)
echo "$TARGET"
