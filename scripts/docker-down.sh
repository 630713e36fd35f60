#!/usr/bin/env bash
# Stops the lab's own Docker daemon (scripts/docker-up.sh), after removing the containers the lab left (a killed test
# run leaves its containers behind: the reaper, Ryuk, is not used with this daemon). Idempotent.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${DISPATCH_LAB_DOCKER_DIR:-$REPO_ROOT/.tools/docker}"
[ -d "$STATE" ] || exit 0
STATE="$(cd "$STATE" && pwd -P)"
SOCK="$STATE/daemon/docker.sock"
PIDFILE="$STATE/daemon/dockerd.pid"

pid=""
[ -s "$PIDFILE" ] && pid="$(cat "$PIDFILE")"
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || pid="$(pgrep -f -- "dockerd .*--data-root $STATE/data" | head -1 || true)"
[ -n "$pid" ] || { rm -f "$PIDFILE"; exit 0; }

if command -v docker >/dev/null 2>&1; then
  ids="$(DOCKER_HOST="unix://$SOCK" docker ps -aq --filter label=dispatch-lab 2>/dev/null || true)"
  # shellcheck disable=SC2086
  [ -z "$ids" ] || DOCKER_HOST="unix://$SOCK" docker rm -f $ids >/dev/null 2>&1 || true
fi
kill -TERM "$pid" 2>/dev/null || true
stopped=""
for _ in $(seq 1 150); do
  kill -0 "$pid" 2>/dev/null || { stopped=1; break; }
  sleep 0.1
done
if [ -z "$stopped" ]; then
  echo "docker-down: dockerd $pid did not stop within 15 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
fi
# dockerd leaves its own network namespace mounted in its runtime state; nothing else lives there
EXEC_ROOT="/run/dispatch-lab-docker-$(printf '%s' "$STATE" | sha1sum | cut -c1-8)"
if [ -d "$EXEC_ROOT" ]; then
  umount "$EXEC_ROOT/netns/default" 2>/dev/null || true
  rm -rf "$EXEC_ROOT" 2>/dev/null || true
fi
echo "docker-down: dockerd stopped" >&2
