#!/usr/bin/env bash
# Builds the tests' base image: a small glibc-only Debian 12 (libc6, zlib1g and libexpat1, which
# the machine's libpython3.11 needs; a second layer adds /etc/passwd and /etc/group) for linux/amd64 and
# linux/arm64, as an OCI layout OUT with one tag per architecture (amd64, arm64). No maintainer
# script runs (mmdebstrap's chrootless extract), so no emulator is needed for arm64. The merged-/usr
# hook gives /lib -> usr/lib as on every current Debian image.
set -euo pipefail
OUT=$1
SUITE=${2:-bookworm}
for tool in mmdebstrap umoci; do
  command -v "$tool" >/dev/null || { echo "make-base.sh: $tool is missing: apt-get install $tool" >&2; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
umask 022
# A second layer, as most bases have: the accounts a minimal image has (plus a service user the
# tests map), and a whiteout that removes dpkg's database from the first layer.
mkdir -p "$WORK/accounts/etc" "$WORK/accounts/var/lib"
cat > "$WORK/accounts/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PASSWD
cat > "$WORK/accounts/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
www-data:x:33:
nogroup:x:65534:
GROUP
: > "$WORK/accounts/var/lib/.wh.dpkg"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$WORK/accounts" \
  -cf "$WORK/accounts.tar" etc var
umoci init --layout "$WORK/oci"
for arch in amd64 arm64; do
  mmdebstrap --quiet --mode=chrootless --variant=extract --architectures="$arch" \
    --include=libc6,zlib1g,libexpat1 \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/lib/*/gconv/*' \
    --skip=output/dev \
    "$SUITE" "$WORK/$arch.tar"
  umoci new --image "$WORK/oci:$arch"
  umoci raw add-layer --image "$WORK/oci:$arch" "$WORK/$arch.tar"
  umoci raw add-layer --image "$WORK/oci:$arch" "$WORK/accounts.tar"
  umoci config --image "$WORK/oci:$arch" --os linux --architecture "$arch" \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.cmd /bin/true --config.workingdir /
done
umoci gc --layout "$WORK/oci"
rm -rf "$OUT"
mv "$WORK/oci" "$OUT"
