#!/usr/bin/env bash
# Builds the local base images without any image registry: a root filesystem is assembled from
# this machine's own binaries (and the shared libraries ldd says they load), packed as a tarball
# and brought in with `docker import`.
#
#   docker/base/build-base.sh [node|nginx|chromium|all]    (default: node)
#
#   sightline/base:local   node, its libraries, CA certificates, zoneinfo, user sightline (10001)
#   sightline/nginx:local  sightline/base:local plus Debian's nginx (taken from its .deb when nginx
#                          is not installed here), its libraries and mime.types; for the web image
#
# Idempotent: each image carries a label with the hash of everything that went into it, and is
# only rebuilt when that hash changes. Needs root (files in the tarball are owned by root and by
# 10001) and a running Docker engine.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-node}"
uid=10001
force="${SIGHTLINE_REBUILD_BASE:-}"

die() { echo "build-base: $*" >&2; exit 1; }
command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the Docker engine is not running"

# The shared libraries a binary loads, as absolute paths (the dynamic loader included).
libs_of() {
  ldd "$1" | awk '/=> \//{print $3} /^\s*\/.*ld-linux/{print $1}' | sort -u
}

# Copies a file to the same path under the root, following symlinks (the image has no links
# to resolve them against) and keeping the path the loader looks for.
put() { # root, file
  mkdir -p "$1$(dirname "$2")"
  cp -L "$2" "$1$2"
}

# The part every image shares: accounts, name resolution, certificates, writable places.
common_fs() { # root
  local root=$1
  mkdir -p "$root"/{etc,tmp,usr/local/bin,home/sightline,data}
  chmod 1777 "$root/tmp"
  cat >"$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
sightline:x:${uid}:${uid}:sightline:/home/sightline:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
  cat >"$root/etc/group" <<GROUP
root:x:0:
sightline:x:${uid}:
nogroup:x:65534:
GROUP
  # glibc 2.34+ has the files and dns back ends built in; it still needs to be told the order.
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  [ -f /etc/ssl/certs/ca-certificates.crt ] || die "no /etc/ssl/certs/ca-certificates.crt (apt-get install -y ca-certificates)"
  put "$root" /etc/ssl/certs/ca-certificates.crt
  # Node carries its own time zone rules (ICU); the system ones serve native code and TZ=...
  if [ -d /usr/share/zoneinfo ]; then
    mkdir -p "$root/usr/share/zoneinfo"
    tar -C /usr/share/zoneinfo --exclude=./right --exclude=./posix -cf - . | tar -C "$root/usr/share/zoneinfo" -xf -
    ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
  fi
  chown -R 0:0 "$root"
  chown "$uid:$uid" "$root/home/sightline" "$root/data"
}

# Hash of the inputs: this script, and every file that goes into the image.
inputs_hash() { # files...
  # Contents only: the nginx package is unpacked to a new temporary folder each time.
  { sha256sum "$0"; sha256sum "$@"; } | cut -d' ' -f1 | sha256sum | cut -c1-32
}

current_label() { # image
  docker image inspect "$1" --format '{{ index .Config.Labels "sightline.inputs" }}' 2>/dev/null || true
}

import_root() { # root, image, hash, extra --change flags...
  local root=$1 image=$2 hash=$3; shift 3
  local previous; previous="$(docker image inspect "$image" --format '{{.Id}}' 2>/dev/null || true)"
  tar --numeric-owner -C "$root" -cf - . | docker import \
    -c "LABEL sightline.inputs=$hash" \
    -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -c "ENV HOME=/home/sightline" \
    -c "USER $uid" \
    -c "WORKDIR /" \
    "$@" - "$image" >/dev/null
  # The replaced image would stay behind untagged; drop it unless something still uses it.
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect "$image" --format '{{.Id}}')" ]; then
    docker image rm "$previous" >/dev/null 2>&1 || true
  fi
  echo "build-base: $image built ($(docker image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
}

build_node() {
  local image=sightline/base:local node
  node="$(readlink -f "$(command -v node)")" || die "no node on this machine"
  local files=("$node" $(libs_of "$node") /etc/ssl/certs/ca-certificates.crt)
  local hash; hash="$(inputs_hash "${files[@]}")"
  if [ -z "$force" ] && [ "$(current_label "$image")" = "$hash" ]; then
    echo "build-base: $image is up to date"; return
  fi
  local root; root="$(mktemp -d)"
  common_fs "$root"
  cp -L "$node" "$root/usr/local/bin/node"
  for lib in $(libs_of "$node"); do put "$root" "$lib"; done
  import_root "$root" "$image" "$hash" -c 'CMD ["node"]'
  rm -rf "$root"
}

build_nginx() {
  local image=sightline/nginx:local src=/ tmp=""
  build_node
  if [ ! -x /usr/sbin/nginx ] || [ ! -f /etc/nginx/mime.types ]; then
    # Not installed: unpack Debian's packages instead of installing them, so that no nginx
    # service is set up (or started) on this machine.
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download nginx nginx-common >/dev/null 2>&1) \
      || { apt-get update -qq && (cd "$tmp" && apt-get download nginx nginx-common >/dev/null); } \
      || die "cannot get Debian's nginx packages"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
    src="$tmp/root/"
  fi
  local bin="${src%/}/usr/sbin/nginx" mime="${src%/}/etc/nginx/mime.types"
  local files=("$bin" "$mime" $(libs_of "$bin"))
  # On top of the node base: its layer is shared (so nginx adds only a few MB), and the web
  # image's health check can use node to fetch a page, there being no curl.
  local hash; hash="$(inputs_hash "${files[@]}" <(docker image inspect sightline/base:local --format '{{.Id}}'))"
  if [ -z "$force" ] && [ "$(current_label "$image")" = "$hash" ]; then
    echo "build-base: $image is up to date"; [ -z "$tmp" ] || rm -rf "$tmp"; return
  fi
  local ctx; ctx="$(mktemp -d)"
  local root="$ctx/root"
  mkdir -p "$root/usr/sbin" "$root/etc/nginx" "$root/var/lib/nginx" "$root/var/log/nginx" "$root/usr/share/nginx/html"
  cp -L "$bin" "$root/usr/sbin/nginx"
  cp -L "$mime" "$root/etc/nginx/mime.types"
  for lib in $(libs_of "$bin"); do put "$root" "$lib"; done
  chown -R 0:0 "$root"
  # nginx writes logs, a pid file and temporary bodies: those go to /tmp (a tmpfs with a
  # read-only root); the compiled-in paths must exist even though they are never written.
  chown -R "$uid:$uid" "$root/var/lib/nginx" "$root/var/log/nginx"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM sightline/base:local
COPY root/ /
LABEL sightline.inputs=$hash
USER $uid
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
DOCKERFILE
  local previous; previous="$(docker image inspect "$image" --format '{{.Id}}' 2>/dev/null || true)"
  DOCKER_BUILDKIT=0 docker build -q -t "$image" "$ctx" >/dev/null
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect "$image" --format '{{.Id}}')" ]; then
    docker image rm "$previous" >/dev/null 2>&1 || true
  fi
  local size base
  size="$(docker image inspect "$image" --format '{{.Size}}')"
  base="$(docker image inspect sightline/base:local --format '{{.Size}}')"
  echo "build-base: $image built ($(( (size - base) / 1000000 )) MB on top of sightline/base:local)"
  rm -rf "$ctx"; [ -z "$tmp" ] || rm -rf "$tmp"
}

# Debian's Chromium for the PDF renderer, on top of the node base: the browser's folder, every
# library it and its bundled .so files load, NSS's modules (loaded at run time, so ldd misses
# them), fontconfig's settings and a few font families so that text renders.
build_chromium() {
  build_node
  local image=sightline/chromium:local dir=/usr/lib/chromium
  [ -x "$dir/chromium" ] || die "Debian's Chromium is not installed (apt-get install -y chromium)"
  local multiarch; multiarch="$(dirname "$(ldd "$dir/chromium" | awk '/libnss3/{print $3}')")"
  local extra=()
  for f in "$multiarch"/libsoftokn3.so "$multiarch"/libfreebl3.so "$multiarch"/libfreeblpriv3.so "$multiarch"/libnssckbi.so "$multiarch"/libnssdbm3.so; do
    [ -e "$f" ] && extra+=("$f")
  done
  local objects=("$dir/chromium" $(find "$dir" -maxdepth 1 -name '*.so*' ! -name '*.TOC') "${extra[@]}")
  local libs; libs="$( { for f in "${objects[@]}"; do libs_of "$f"; done; } | sort -u)"
  local fonts=()
  for d in /usr/share/fonts/truetype/dejavu /usr/share/fonts/truetype/liberation; do [ -d "$d" ] && fonts+=("$d"); done
  local hash; hash="$(inputs_hash "$dir/chromium" $libs "${extra[@]}" <(docker image inspect sightline/base:local --format '{{.Id}}') <(find "${fonts[@]}" /etc/fonts -type f | sort))"
  if [ -z "$force" ] && [ "$(current_label "$image")" = "$hash" ]; then
    echo "build-base: $image is up to date"; return
  fi
  local ctx; ctx="$(mktemp -d)"
  local root="$ctx/root"
  mkdir -p "$root/usr/lib" "$root/usr/share/fonts/truetype" "$root/etc"
  cp -rL "$dir" "$root/usr/lib/chromium"
  for lib in $libs "${extra[@]}"; do put "$root" "$lib"; done
  [ -d "$multiarch/nss" ] && { mkdir -p "$root$multiarch"; cp -rL "$multiarch/nss" "$root$multiarch/nss"; }
  cp -rL /etc/fonts "$root/etc/fonts"
  for d in "${fonts[@]}"; do cp -rL "$d" "$root/usr/share/fonts/truetype/"; done
  chown -R 0:0 "$root"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM sightline/base:local
COPY root/ /
ENV CHROMIUM_PATH=/usr/lib/chromium/chromium
LABEL sightline.inputs=$hash
USER $uid
DOCKERFILE
  local previous; previous="$(docker image inspect "$image" --format '{{.Id}}' 2>/dev/null || true)"
  DOCKER_BUILDKIT=0 docker build -q -t "$image" "$ctx" >/dev/null
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect "$image" --format '{{.Id}}')" ]; then
    docker image rm "$previous" >/dev/null 2>&1 || true
  fi
  local size base
  size="$(docker image inspect "$image" --format '{{.Size}}')"
  base="$(docker image inspect sightline/base:local --format '{{.Size}}')"
  echo "build-base: $image built ($(( (size - base) / 1000000 )) MB on top of sightline/base:local)"
  rm -rf "$ctx"
}

case "$target" in
  node) build_node ;;
  nginx) build_nginx ;;
  chromium) build_chromium ;;
  all) build_nginx; build_chromium ;; # builds the node base first
  *) die "unknown target $target (node, nginx, chromium or all)" ;;
esac
