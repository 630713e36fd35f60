#!/usr/bin/env bash
# Installs the Debian packages the test suite needs and that a fresh machine lacks: Chromium (report and
# inspector tests), iproute2 (network namespaces for WebRTC tests) and iptables (the video-loss test's packet
# loss). As root with apt-get it installs them; otherwise it names what to install and exits non-zero.
# Idempotent: returns at once when all are present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_BIN:-}" ] || need+=(chromium)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages: ${need[*]}; install them (Debian: sudo apt-get install -y ${need[*]}) or set CHROMIUM_BIN" >&2
  exit 1
fi
echo "installing ${need[*]} (Debian packages the tests need)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${need[@]}" >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; }
