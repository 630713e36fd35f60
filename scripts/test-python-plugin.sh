#!/usr/bin/env bash
# The Python package's tests: installs what they need (idempotent), type-checks python/src, then runs pytest on
# test/python against real livekit-agents workers.
#
# Two venvs: the project's .venv holds the worker runtime (livekit-agents, scripts/setup-python.sh) and runs the
# agents; python/.venv holds what a user's test environment holds (pytest, livekit-api, this package installed with
# `pip install ./python`, not editable, as a user installs it). Extra arguments go to pytest.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${DISPATCH_LAB_PYTEST_VENV:-$ROOT/python/.venv}"
PINS=(pytest==9.2.0 livekit-api==1.2.2 PyJWT==2.15.1 mypy==2.4.1)

[ -d node_modules ] || npm ci --loglevel=error
bash scripts/setup-python.sh

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "test-python-plugin: '$PYTHON' not found; install Python >= 3.10 (with venv)" >&2
  exit 1
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"

# Reinstall only when the pins or the package's files changed.
stamp="$(
  {
    printf '%s\n' "${PINS[@]}"
    find python/pyproject.toml python/README.md python/src -type f ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
)"
if [ "$(cat "$VENV/.dispatch-lab-stamp" 2>/dev/null)" != "$stamp" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
  # --force-reinstall --no-deps: same version number, new files
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
  rm -rf python/build python/src/*.egg-info
  echo "$stamp" >"$VENV/.dispatch-lab-stamp"
fi

# the agents under test/python/agents run in the worker venv (livekit-agents ships no type information)
"$VENV/bin/mypy" --strict --no-error-summary --cache-dir "$VENV/.mypy_cache" --exclude 'test/python/agents/' python/src test/python

start=$(date +%s)
set +e
DISPATCH_LAB_AGENT_PYTHON="$ROOT/.venv/bin/python" "$VENV/bin/python" -m pytest -c test/python/pytest.ini test/python "$@"
code=$?
set -e
echo "test-python-plugin: pytest took $(($(date +%s) - start)) s (exit code $code)"
# 0 passed; 5 means no test was collected, which in CI is a failure too; 1-4 are failures, interruptions, errors
case "$code" in
  0) ;;
  5) echo "test-python-plugin: pytest collected no tests" >&2; exit 1 ;;
  *) exit "$code" ;;
esac

# The README's Python path as a user walks it: a fresh project with the npm package installed from its tarball
# (dist/ as `npm run build` left it), the plugin as installed above, and a test that asks for the fixture; the
# plugin finds the CLI through the project's node_modules/.bin (the project is outside this checkout, so nothing else).
proj="$(mktemp -d)"
trap 'rm -rf "$proj"' EXIT
[ -f dist/cli-bundle/main.js ] || npm run build --silent
tarball="$(npm pack --silent --ignore-scripts --pack-destination "$proj" | tail -1)"
(cd "$proj" && echo '{"name":"py-consumer","private":true}' >package.json &&
  npm install --prefer-offline --no-audit --no-fund --loglevel=error "./$tarball" >/dev/null)
cat >"$proj/test_from_tarball.py" <<'PY'
def test_the_installed_package_serves_the_fixture(dispatch_lab):
    since = dispatch_lab.last_seq()
    dispatch_lab.create_room("from-tarball")
    dispatch_lab.wait_for("room.created", since=since, room="from-tarball", timeout=10)
PY
(cd "$proj" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider test_from_tarball.py)
echo "test-python-plugin: the plugin ran the lab from a packed tarball in a fresh project"

