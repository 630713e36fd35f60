#!/usr/bin/env bash
# Starts the lab's own Docker daemon for the container backend and prints its DOCKER_HOST on the last stdout line:
#   export DOCKER_HOST="$(bash scripts/docker-up.sh)"
# Its own data root (.tools/docker/data), socket (.tools/docker/daemon/docker.sock) and config, so it never touches a system
# Docker; no bridge, no iptables, no private-range network: containers run with host networking, so every packet
# stays on 127.0.0.1 (or inside a test's own network namespace). Installs Debian's docker.io when dockerd is missing
# and this is root on Debian, otherwise says what to install. Idempotent: a running daemon is reused at once.
# Stop it with scripts/docker-down.sh.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# DISPATCH_LAB_DOCKER_DIR moves it elsewhere (a .tools shared between checkouts, for example)
STATE="${DISPATCH_LAB_DOCKER_DIR:-$REPO_ROOT/.tools/docker}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd -P)"
SOCK="$STATE/daemon/docker.sock"
PIDFILE="$STATE/daemon/dockerd.pid"
LOG="$STATE/daemon/dockerd.log"
# runtime state (containerd's sockets) must sit on a short path: unix socket paths are limited to 107 bytes
EXEC_ROOT="/run/dispatch-lab-docker-$(printf '%s' "$STATE" | sha1sum | cut -c1-8)"

say() { echo "docker-up: $*" >&2; }

ensure_installed() {
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "Docker is missing: install it (Debian: sudo apt-get install -y docker.io), or start your own daemon and set DOCKER_HOST"
    exit 1
  fi
  say "installing docker.io (Debian's Docker, for the container backend)…"
  # keep the package's service from starting a system daemon with its default bridge (a private-range network)
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq docker.io >/dev/null || { apt-get update -qq && apt-get install -y -qq docker.io >/dev/null; }
  [ -n "$added" ] && rm -f "$policy"
  if command -v service >/dev/null 2>&1; then service docker stop >/dev/null 2>&1 || true; fi
}

answers() { DOCKER_HOST="unix://$SOCK" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

running_pid() {
  local pid=""
  [ -s "$PIDFILE" ] && pid="$(cat "$PIDFILE")"
  # a pidfile removed under a live daemon: find it by its data root (only the lab's daemon uses it)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || pid="$(pgrep -f -- "dockerd .*--data-root $STATE/data" | head -1 || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ensure_installed
mkdir -p "$STATE/data" "$STATE/daemon"
exec 9>"$STATE/daemon/.lock"
flock 9 # concurrent test files call this at once; one of them starts the daemon

if running_pid >/dev/null && answers; then
  echo "unix://$SOCK"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  say "starting the lab's dockerd needs root; run this as root, or start your own (rootless) Docker and set DOCKER_HOST"
  exit 1
fi
# a daemon that died leaves its pidfile and socket behind; dockerd refuses to start over a live pidfile only
if pid="$(running_pid)"; then
  say "dockerd $pid does not answer (its socket is gone?); restarting it"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -f "$PIDFILE" "$SOCK"
[ -f "$STATE/daemon/daemon.json" ] || echo '{}' >"$STATE/daemon/daemon.json" # not /etc/docker/daemon.json: nothing of a system setup applies

say "starting dockerd (data root $STATE/data, socket $SOCK, host networking only)…"
setsid dockerd \
  --config-file "$STATE/daemon/daemon.json" \
  --data-root "$STATE/data" \
  --exec-root "$EXEC_ROOT" \
  --pidfile "$PIDFILE" \
  --host "unix://$SOCK" \
  --bridge=none --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
  --log-level=warn \
  >>"$LOG" 2>&1 </dev/null 9>&- &

for _ in $(seq 1 300); do
  if answers; then
    say "dockerd is up: export DOCKER_HOST=unix://$SOCK"
    echo "unix://$SOCK"
    exit 0
  fi
  if ! kill -0 $! 2>/dev/null; then break; fi
  sleep 0.1
done
say "dockerd did not come up; last lines of $LOG:"
tail -n 20 "$LOG" >&2
exit 1
