#!/usr/bin/env bash
# Starts the lab's own Docker daemon for the container backend and prints its DOCKER_HOST on the last stdout line:
#   export DOCKER_HOST="$(bash scripts/docker-up.sh)"
# Its own data root (.tools/docker/data), socket (.tools/docker/docker.sock) and config, so it never touches a system
# Docker; no bridge, no iptables, no private-range network: containers run with host networking, so every packet
# stays on 127.0.0.1 (or inside a test's own network namespace). Installs Debian's docker.io when dockerd is missing
# and this is root on Debian, otherwise says what to install. Idempotent: a running daemon is reused at once.
# Stop it with scripts/docker-down.sh.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$REPO_ROOT/.tools"
STATE="$(cd "$REPO_ROOT/.tools" && pwd -P)/docker"
SOCK="$STATE/docker.sock"
PIDFILE="$STATE/dockerd.pid"
LOG="$STATE/dockerd.log"
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
  [ -s "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ensure_installed
mkdir -p "$STATE/data"
exec 9>"$STATE/.lock"
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
if pid="$(running_pid)"; then say "dockerd $pid does not answer; restarting it"; kill "$pid" 2>/dev/null || true; fi
rm -f "$PIDFILE" "$SOCK"
[ -f "$STATE/daemon.json" ] || echo '{}' >"$STATE/daemon.json" # not /etc/docker/daemon.json: nothing of a system setup applies

say "starting dockerd (data root $STATE/data, socket $SOCK, host networking only)…"
setsid dockerd \
  --config-file "$STATE/daemon.json" \
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
