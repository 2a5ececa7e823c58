#!/usr/bin/env bash
# What adding the image costs the example's release: pbs-cli `image --image-push` (the two-platform
# image of the Linux rows, written as OCI layout + oci-archive and pushed to a loopback
# docker-registry that already holds the base's blobs) against pbs-cli `package` (tar.gz, deb and
# rpm of the same two rows), in the same run, JVM start included in both (-Xmx256m).
# Goal (#22): the image costs <= 20% of pbs:package's time.
# As in the main job, pbs:package runs on an empty body cache (it deflates every file) and pbs:image
# right after it (it splices the bodies pbs:package left in the cache): each timed image run is
# prepared by emptying the cache and running pbs:package, untimed.
# The last line (the goal's measure) times both goals in one JVM (`package image`, as `mvn package`
# runs them): what the image adds there, JVM start and warm-up shared, is (package+image - package)
# / package. The line before it gives the image goal alone in its own JVM, for reference.
# BEFORE_JAR=path/to/older/pbs-cli-*-cli.jar also times that jar's image (before/after, same run).
# Needs the tests' cached base image (built by oci-image's tests, once per machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BASE=$HOME/.cache/pbs-toolchain/oci-test-base/bookworm-v2
[ -f "$BASE/index.json" ] || {
  echo "image.sh: no cached base in $BASE: run ./mvnw -pl oci-image test once (builds it with mmdebstrap)" >&2
  exit 2
}
for tool in hyperfine docker-registry skopeo; do
  command -v "$tool" >/dev/null || { echo "image.sh: $tool is missing: apt-get install $tool" >&2; exit 2; }
done
JAR=$(ls pbs-cli/target/pbs-cli-*-cli.jar 2>/dev/null | head -1 || true)
if [ -z "$JAR" ]; then
  ./mvnw -B -q -o -pl pbs-cli -am -DskipTests -Dinvoker.skip install >/dev/null
  JAR=$(ls pbs-cli/target/pbs-cli-*-cli.jar | head -1)
fi
JAR=$ROOT/$JAR
WORK=$(mktemp -d)
REGISTRY_PID=
cleanup() {
  # Keep the script's own status: the registry's SIGTERM status (143) is not a bench failure.
  local status=$?
  if [ -n "$REGISTRY_PID" ]; then
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# A loopback registry on a free port, stopped by its PID.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/registry"
cat > "$WORK/registry/config.yml" <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
http:
  addr: 127.0.0.1:$PORT
YML
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.1; done
REPO=127.0.0.1:$PORT/acme/embedded-app
# The base's blobs are already in the registry, as they are after the first release.
skopeo copy --quiet --all --dest-tls-verify=false "oci:$BASE:bookworm" "docker://$REPO:base"

# The example's Linux rows, released from this machine's CPython (local-pbs.sh), as its main job.
P=$WORK/project
mkdir -p "$P"
cp -r examples/embedded-app/build.sh examples/embedded-app/src examples/embedded-app/copyright "$P/"
cat > "$P/matrix.yaml" <<YAML
pbs: {date: "20241016", version: "3.11.10"}
app:
  name: embedded-app
  description: A small C program that embeds CPython and runs Python plugins.
  maintainer: pbs-toolchain developers <dev@pbstoolchain.dev>
  homepage: https://pbstoolchain.dev
  license: Apache-2.0
image:
  repository: "$REPO"
  tags: ["{version}", latest]
  base: "oci-layout:$BASE:bookworm"
targets:
  - {triple: x86_64-unknown-linux-gnu, binary: target/native/x86_64-unknown-linux-gnu/embedded-app, formats: [tar.gz, deb, rpm]}
  - {triple: aarch64-unknown-linux-gnu, binary: target/native/aarch64-unknown-linux-gnu/embedded-app, formats: [tar.gz, deb, rpm]}
YAML
bash examples/embedded-app/local-pbs.sh "$WORK/mirror" 20241016 3.11.10 >/dev/null
CLI="java -Xmx256m -jar $JAR --project $P --mirror file://$WORK/mirror --cache-dir $WORK/cache --app-version 1.2.0 --output-timestamp 2026-11-24T00:00:00Z --max-glibc 2.36"
$CLI prepare >/dev/null
(cd "$P" && bash build.sh >/dev/null)
$CLI patch >/dev/null
$CLI package image --image-push >"$WORK/first.log" 2>&1 || { cat "$WORK/first.log" >&2; exit 1; }

# Before each timed run the registry forgets our own layers and configs (their links in the
# repository), keeping the base's: every run uploads the release's layers as a new release would.
cat > "$WORK/forget.sh" <<SH
cd "$WORK/registry/storage/docker/registry/v2/repositories/acme/embedded-app/_layers/sha256"
for d in *; do [ -e "$BASE/blobs/sha256/\$d" ] || rm -rf "\$d"; done
SH
# pbs:package keeps packages whose inputs did not change (its record beside the dist directory):
# forget the record too, so every timed pbs:package packages and deflates in full.
FRESH="rm -rf $WORK/cache/deflated-bodies $P/target/.pbs-dist.pbs-package-record"
BEFORE=()
if [ -n "${BEFORE_JAR:-}" ]; then
  BEFORE=(-n "before: pbs:image + push" --prepare "bash $WORK/forget.sh; $FRESH; $CLI package >/dev/null"
    "${CLI/-jar $JAR/-jar $(realpath "$BEFORE_JAR")} image --image-push")
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$WORK/h.json" \
  "${BEFORE[@]}" \
  -n "pbs:image + push" --prepare "bash $WORK/forget.sh; $FRESH; $CLI package >/dev/null" "$CLI image --image-push" \
  -n "pbs:package" --prepare "$FRESH" "$CLI package" \
  -n "pbs:package + pbs:image + push, one JVM" --prepare "bash $WORK/forget.sh; $FRESH" \
  "$CLI package image --image-push" >&2
bash "$WORK/forget.sh"
$CLI image --image-push 2>&1 | grep -E "Pushed|Wrote the image" >&2
python3 - "$WORK/h.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
ours, peer = r["pbs:image + push"], r["pbs:package"]
before = r.get("before: pbs:image + push")
was = f" (before: {before:.2f}s, ratio {before/peer:.2f})" if before else ""
# Not the goal's measure: the CLI's image goal alone, JVM start and class loading included.
print(f"image as a separate CLI run: {ours:.2f}s, ratio {ours/peer:.2f} to pbs:package{was}")
# The goal's measure, last (bench/run keeps the last line): the README's main job runs both goals
# in one JVM, so the image costs what it adds there.
added = r["pbs:package + pbs:image + push, one JVM"] - peer
print(f"image: ours {added:.2f}s (added to pbs:package in its JVM), pbs:package {peer:.2f}s, ratio {added/peer:.2f} (goal <= 0.2), heap <= 256 MB")
PY
