#!/usr/bin/env bash
# Creates the project-local virtualenv .venv/ with livekit-agents pinned exactly (the Python worker runtime the lab drives).
# Idempotent: does nothing when the pinned version is already installed.
set -euo pipefail

LIVEKIT_AGENTS_VERSION="${LIVEKIT_AGENTS_VERSION:-1.8.9}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LAB_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup-python: '$PYTHON' not found; install Python >= 3.10 (with venv) to run the Python agent worker" >&2
  exit 1
fi

installed_version() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("livekit-agents"))' 2>/dev/null || true
}

if [ -x "$VENV/bin/python" ] && [ "$(installed_version)" = "$LIVEKIT_AGENTS_VERSION" ]; then
  echo "setup-python: livekit-agents $LIVEKIT_AGENTS_VERSION already installed in $VENV"
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "livekit-agents==$LIVEKIT_AGENTS_VERSION"
echo "setup-python: installed livekit-agents $(installed_version) in $VENV"
