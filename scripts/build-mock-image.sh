#!/usr/bin/env bash
# Builds the mock's container image (dispatch-lab/mock:local, docker/mock.Dockerfile): `dispatch-lab serve` bundled
# with esbuild (tsx's own, so no new dependency) into one file, this machine's Node with the libraries `ldd` names,
# and node-datachannel (the /rtc WebRTC peer) with its native module. Needs a running Docker (scripts/docker-up.sh;
# DOCKER_HOST is taken from it when unset). Idempotent: the same inputs keep the image. Prints the tag last.
set -euo pipefail

IMAGE="${MOCK_IMAGE:-dispatch-lab/mock:local}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=docker-rootfs.sh
source "$REPO_ROOT/scripts/docker-rootfs.sh"
cd "$REPO_ROOT"

: "${DOCKER_HOST:=$(bash "$REPO_ROOT/scripts/docker-up.sh")}"
export DOCKER_HOST
NODE="$(command -v node)"
CTX="$(mktemp -d)"
trap 'rm -rf "$CTX"' EXIT
ROOTFS="$CTX/rootfs"
rootfs_init "$ROOTFS"
mkdir -p "$ROOTFS/app/node_modules"

node --input-type=module -e "
import { createRequire } from 'node:module';
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');
await esbuild.build({
  entryPoints: ['docker/mock-serve.ts'], outfile: '$ROOTFS/app/dispatch-lab.mjs', bundle: true, platform: 'node',
  format: 'esm', target: 'node20', external: ['node-datachannel'], logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle still call require
  banner: { js: \"import { createRequire as __labRequire } from 'node:module'; const require = __labRequire(import.meta.url);\" },
});"

# node-datachannel loads its prebuilt native module for this platform (and detect-libc to pick it)
native="node_modules/@node-datachannel/linux-x64-gnu"
[ -d "$native" ] && [ -d node_modules/node-datachannel/dist ] || { echo "build-mock-image: node-datachannel's native module for linux-x64 is not installed (npm ci)" >&2; exit 1; }
mkdir -p "$ROOTFS/app/node_modules/node-datachannel" "$ROOTFS/app/node_modules/@node-datachannel"
cp -r node_modules/node-datachannel/package.json node_modules/node-datachannel/dist "$ROOTFS/app/node_modules/node-datachannel/"
cp -r "$native" "$ROOTFS/app/node_modules/@node-datachannel/"
cp -r node_modules/detect-libc "$ROOTFS/app/node_modules/"
rootfs_add_bin "$ROOTFS" "$NODE" /usr/bin/node
for mod in "$ROOTFS"/app/node_modules/@node-datachannel/*/*.node; do rootfs_add_libs "$ROOTFS" "$mod"; done

hash="$( (cd "$ROOTFS" && find . -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum "$REPO_ROOT/docker/mock.Dockerfile") | sha256sum | cut -c1-64)"
if [ "$(image_label "$IMAGE" dispatch-lab.source-sha256)" != "$hash" ]; then
  echo "build-mock-image: building $IMAGE…" >&2
  out="$(docker build --quiet --network none -f "$REPO_ROOT/docker/mock.Dockerfile" \
    --label "dispatch-lab.source-sha256=$hash" --label "dispatch-lab=1" -t "$IMAGE" "$CTX" 2>&1)" || { echo "$out" >&2; exit 1; }
  docker image prune -f --filter label=dispatch-lab=1 >/dev/null # the build it replaced
fi
echo "$IMAGE"
