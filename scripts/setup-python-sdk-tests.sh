#!/usr/bin/env bash
# Installs LiveKit's own Python SDK end-to-end tests for test/upstream/python-sdk-e2e.test.ts: the `tests/`
# directory of the `livekit` sdist on PyPI (the version pinned in .venv, checked by sha256), extracted unmodified
# into the git-ignored .tools/python-sdk-tests/<version>/, and the pytest pins they run under, into .venv.
# Idempotent: a second run finds both and returns at once. Needs .venv (scripts/setup-python.sh).
set -euo pipefail

VERSION="1.1.21"
SHA256="c6c1783a99954147e46995087cbbfb77844049c0d53c33b761e0dfa7ff47256c"
PINS=(pytest==9.2.0 pytest-asyncio==1.5.0 pytest-timeout==2.4.0 pytest-rerunfailures==16.7)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LAB_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
TARGET="$ROOT/.tools/python-sdk-tests/$VERSION"

[ -x "$PY" ] || { echo "setup-python-sdk-tests: $PY not found: run bash scripts/setup-python.sh first" >&2; exit 1; }
installed="$("$PY" -c 'import importlib.metadata as m; print(m.version("livekit"))' 2>/dev/null || true)"
if [ "$installed" != "$VERSION" ]; then
  echo "setup-python-sdk-tests: .venv has livekit '${installed:-none}', these tests are livekit $VERSION's" >&2
  exit 1
fi

pins_installed() {
  "$PY" - "${PINS[@]}" <<'EOF'
import importlib.metadata as m, sys
for pin in sys.argv[1:]:
    name, version = pin.split("==")
    try:
        if m.version(name) != version:
            sys.exit(1)
    except m.PackageNotFoundError:
        sys.exit(1)
EOF
}

if [ -f "$TARGET/tests/test_dc.py" ] && pins_installed; then
  echo "$TARGET/tests"
  exit 0
fi

if ! pins_installed; then
  "$PY" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
fi

if [ ! -f "$TARGET/tests/test_dc.py" ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: -d "$WORK" "livekit==$VERSION"
  echo "$SHA256  $WORK/livekit-$VERSION.tar.gz" | sha256sum -c --quiet - \
    || { echo "setup-python-sdk-tests: livekit-$VERSION.tar.gz does not match its pinned sha256" >&2; exit 1; }
  mkdir -p "$WORK/x"
  tar -xzf "$WORK/livekit-$VERSION.tar.gz" -C "$WORK/x" "livekit-$VERSION/tests"
  rm -rf "$TARGET"
  mkdir -p "$TARGET"
  mv "$WORK/x/livekit-$VERSION/tests" "$TARGET/tests"
fi
echo "$TARGET/tests"
