#!/usr/bin/env bash
# The example image's base, for machines that cannot pull one from a registry (CI sandboxes): a
# small glibc-only Debian 12 (libc6, zlib1g, libexpat1) for linux/amd64 and linux/arm64, built with
# mmdebstrap (chrootless extract: no maintainer script, no emulator) and umoci, saved as an OCI
# layout OUT whose tag bookworm is an image index over both platforms, as a registry base's is.
# Built once per machine under ~/.cache/pbs-toolchain/example-base and copied from there.
# A real release names a registry base pinned by digest in matrix.yaml instead, e.g.
#   base: docker.io/library/debian:bookworm-slim@sha256:...
set -euo pipefail
OUT=$1
SUITE=bookworm
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pbs-toolchain/example-base/$SUITE-v1
if [ ! -f "$CACHE/index.json" ]; then
  for tool in mmdebstrap umoci python3; do
    command -v "$tool" >/dev/null || { echo "base-image.sh: $tool is missing: apt-get install $tool" >&2; exit 2; }
  done
  mkdir -p "$(dirname "$CACHE")"
  WORK=$(mktemp -d "$(dirname "$CACHE")/.build-XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  umask 022
  umoci init --layout "$WORK/oci"
  for arch in amd64 arm64; do
    mmdebstrap --quiet --mode=chrootless --variant=extract --architectures="$arch" \
      --include=libc6,zlib1g,libexpat1 \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --skip=output/dev \
      "$SUITE" "$WORK/$arch.tar"
    umoci new --image "$WORK/oci:$arch"
    umoci raw add-layer --image "$WORK/oci:$arch" "$WORK/$arch.tar"
    umoci config --image "$WORK/oci:$arch" --os linux --architecture "$arch" \
      --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --config.workingdir /
  done
  umoci gc --layout "$WORK/oci"
  # The multi-platform tag: an OCI image index over the two manifests, stored as a blob.
  python3 - "$WORK/oci" "$SUITE" <<'PY'
import hashlib, json, os, sys
oci, tag = sys.argv[1], sys.argv[2]
top = json.load(open(os.path.join(oci, "index.json")))
manifests = []
for entry in top["manifests"]:
    arch = entry["annotations"]["org.opencontainers.image.ref.name"]
    platform = {"architecture": arch, "os": "linux"}
    if arch == "arm64":
        platform["variant"] = "v8"
    manifests.append({"mediaType": entry["mediaType"], "digest": entry["digest"],
                      "size": entry["size"], "platform": platform})
index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                    "manifests": manifests}, separators=(",", ":")).encode()
digest = hashlib.sha256(index).hexdigest()
with open(os.path.join(oci, "blobs", "sha256", digest), "wb") as f:
    f.write(index)
top["manifests"].append({"mediaType": "application/vnd.oci.image.index.v1+json",
                         "digest": "sha256:" + digest, "size": len(index),
                         "annotations": {"org.opencontainers.image.ref.name": tag}})
with open(os.path.join(oci, "index.json"), "w") as f:
    json.dump(top, f)
PY
  rm -rf "$CACHE"
  mv "$WORK/oci" "$CACHE"
fi
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
cp -r "$CACHE" "$OUT"
echo "base-image.sh: $OUT (oci-layout, tag $SUITE: linux/amd64, linux/arm64/v8)"
