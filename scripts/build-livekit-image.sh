#!/usr/bin/env bash
# Builds the local image of livekit-server v1.13.5 (dispatch-lab/livekit-server:1.13.5-local) from the binary
# `npm run setup:livekit` built (or LIVEKIT_SERVER_BIN), and the tiny namespace-holder image the publishing
# differential uses (dispatch-lab/netns-holder:local). Both FROM scratch: the binaries, the libraries `ldd` names
# and the loader. Needs a running Docker (scripts/docker-up.sh; DOCKER_HOST is taken from it when unset).
# Idempotent: an image built from the same binary is kept. Prints the livekit image's tag on the last stdout line.
set -euo pipefail

VERSION="1.13.5"
IMAGE="${LIVEKIT_LOCAL_IMAGE:-dispatch-lab/livekit-server:$VERSION-local}"
HOLDER="dispatch-lab/netns-holder:local"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=docker-rootfs.sh
source "$REPO_ROOT/scripts/docker-rootfs.sh"

: "${DOCKER_HOST:=$(bash "$REPO_ROOT/scripts/docker-up.sh")}"
export DOCKER_HOST
BIN="${LIVEKIT_SERVER_BIN:-$REPO_ROOT/.tools/bin/livekit-server}"
if [ ! -x "$BIN" ]; then
  echo "build-livekit-image: no livekit-server binary at $BIN; run \`npm run setup:livekit\` first (or set LIVEKIT_SERVER_BIN)" >&2
  exit 1
fi
if ! "$BIN" --version 2>/dev/null | grep -q "version $VERSION\$"; then
  echo "build-livekit-image: $BIN is not livekit-server v$VERSION ($("$BIN" --version 2>&1 | head -1))" >&2
  exit 1
fi

CTX_ROOT="$(mktemp -d)"
trap 'rm -rf "$CTX_ROOT"' EXIT

# build_image TAG DOCKERFILE SOURCE_HASH: builds from $CTX_ROOT/<tag-dir>/rootfs unless the tag already carries the hash
build_image() {
  local tag="$1" dockerfile="$2" hash="$3" ctx="$4"
  if [ "$(image_label "$tag" dispatch-lab.source-sha256)" = "$hash" ]; then return 0; fi
  echo "build-livekit-image: building $tag…" >&2
  local out
  # the legacy builder's deprecation notice is noise here; the output is shown when the build fails
  out="$(docker build --quiet --network none -f "$dockerfile" \
    --label "dispatch-lab.source-sha256=$hash" --label "dispatch-lab=1" -t "$tag" "$ctx" 2>&1)" || { echo "$out" >&2; return 1; }
  docker image prune -f --filter label=dispatch-lab=1 >/dev/null # the build it replaced
}

lk_hash="$(sha256sum "$BIN" "$REPO_ROOT/docker/livekit-server.Dockerfile" | sha256sum | cut -c1-64)"
if [ "$(image_label "$IMAGE" dispatch-lab.source-sha256)" != "$lk_hash" ]; then
  rootfs_init "$CTX_ROOT/lk/rootfs"
  rootfs_add_bin "$CTX_ROOT/lk/rootfs" "$BIN" /livekit-server
  build_image "$IMAGE" "$REPO_ROOT/docker/livekit-server.Dockerfile" "$lk_hash" "$CTX_ROOT/lk"
fi

SLEEP="$(command -v sleep)"
holder_hash="$(sha256sum "$SLEEP" "$REPO_ROOT/docker/netns-holder.Dockerfile" | sha256sum | cut -c1-64)"
if [ "$(image_label "$HOLDER" dispatch-lab.source-sha256)" != "$holder_hash" ]; then
  rootfs_init "$CTX_ROOT/holder/rootfs"
  rootfs_add_bin "$CTX_ROOT/holder/rootfs" "$SLEEP" /sleep
  build_image "$HOLDER" "$REPO_ROOT/docker/netns-holder.Dockerfile" "$holder_hash" "$CTX_ROOT/holder"
fi
echo "$IMAGE"
