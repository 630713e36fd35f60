#!/usr/bin/env bash
# Stops the lab's own Docker daemon (scripts/docker-up.sh), after removing the containers the lab left (a killed test
# run leaves its containers behind: the reaper, Ryuk, is not used with this daemon). Idempotent.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -d "$REPO_ROOT/.tools/docker" ] || exit 0
STATE="$(cd "$REPO_ROOT/.tools" && pwd -P)/docker"
SOCK="$STATE/docker.sock"
PIDFILE="$STATE/dockerd.pid"

[ -s "$PIDFILE" ] || exit 0
pid="$(cat "$PIDFILE")"
kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; exit 0; }

if command -v docker >/dev/null 2>&1; then
  ids="$(DOCKER_HOST="unix://$SOCK" docker ps -aq --filter label=dispatch-lab 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [ -z "$ids" ] || DOCKER_HOST="unix://$SOCK" docker rm -f $ids >/dev/null 2>&1 || true
fi
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 150); do
  kill -0 "$pid" 2>/dev/null || { echo "docker-down: dockerd stopped" >&2; exit 0; }
  sleep 0.1
done
echo "docker-down: dockerd $pid did not stop within 15 s; killing it" >&2
kill -KILL "$pid" 2>/dev/null || true
