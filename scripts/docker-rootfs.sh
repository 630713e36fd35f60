#!/usr/bin/env bash
# Sourced by the image scripts: lays out a root filesystem for a FROM-scratch image (no registry base image can be
# pulled here): executables with the shared libraries `ldd` names and the dynamic loader, a non-root user, /tmp.

# rootfs_init DIR: an empty tree with /etc/passwd, /etc/group (user "lab", uid/gid 65532) and a world-writable /tmp.
rootfs_init() {
  local dir="$1"
  rm -rf "$dir" && mkdir -p "$dir/etc" "$dir/tmp"
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/:/sbin/nologin\nlab:x:65532:65532:lab:/tmp:/sbin/nologin\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nlab:x:65532:\n' >"$dir/etc/group"
}

# rootfs_add_libs DIR FILE: the libraries FILE (an executable or a native module) loads, at their host paths.
rootfs_add_libs() {
  local dir="$1" file="$2" lib
  for lib in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*' || true); do
    [ -e "$dir$lib" ] || cp -L --parents "$lib" "$dir"
  done
}

# rootfs_add_bin DIR SOURCE DEST: an executable at DEST inside the image, with its libraries.
rootfs_add_bin() {
  local dir="$1" src="$2" dest="$3"
  install -D -m 0755 "$src" "$dir$dest"
  # debug sections are most of a distribution's node binary; an image does not need them
  if command -v objcopy >/dev/null 2>&1; then objcopy --strip-debug "$dir$dest" 2>/dev/null || true; fi
  rootfs_add_libs "$dir" "$src"
}

# image_label IMAGE KEY: a label of a local image, empty when the image does not exist.
image_label() {
  docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}
