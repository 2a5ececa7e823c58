#!/usr/bin/env bash
# Fetch + verify + unpack a ~30 MB PBS-shaped archive from a loopback HTTP server:
# ours (pbs-cli fetch, -Xmx128m, hash + cache copy + unpack in one pass) against
# `curl -s URL | tee >(sha256sum) | tar xz` in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
SERVER=
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

JAR=$(ls "$ROOT"/pbs-cli/target/pbs-cli-*-cli.jar 2>/dev/null | head -1 || true)
# A fresh clone has no jar yet.
if [ -z "$JAR" ]; then
  ./mvnw -B -q -DskipTests -Dinvoker.skip -pl pbs-cli -am package >/dev/null
  JAR=$(ls "$ROOT"/pbs-cli/target/pbs-cli-*-cli.jar | head -1)
fi

# A PBS-shaped install_only archive from the machine's CPython, padded to ~30 MB.
DATE=20241016
ASSET="cpython-3.11.10+${DATE}-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
mkdir -p "$WORK/tree/python/lib" "$WORK/tree/python/bin" "$WORK/release/$DATE"
cp -rL /usr/lib/python3.11 "$WORK/tree/python/lib/" 2>/dev/null || true
cp /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 "$WORK/tree/python/lib/"
cp /usr/bin/python3.11 "$WORK/tree/python/bin/"
ln -s python3.11 "$WORK/tree/python/bin/python3"
i=0
while [ "$(du -sm "$WORK/tree" | cut -f1)" -lt 95 ]; do
  cp -rL /usr/lib/python3.11 "$WORK/tree/python/lib/pad$i" 2>/dev/null || true; i=$((i + 1))
done
tar -C "$WORK/tree" -czf "$WORK/release/$DATE/$ASSET" python
(cd "$WORK/release/$DATE" && sha256sum "$ASSET" > SHA256SUMS)
SIZE_MB=$(du -m "$WORK/release/$DATE/$ASSET" | cut -f1)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/release" >/dev/null 2>&1 &
SERVER=$!
sleep 1
URL="http://127.0.0.1:$PORT/$DATE/${ASSET//+/%2B}"

OURS="java -Xmx128m -XX:+UseSerialGC -jar $JAR fetch --project $WORK --date $DATE \
--python-version 3.11.10 --targets x86_64-unknown-linux-gnu --mirror http://127.0.0.1:$PORT \
--cache-dir $WORK/cache --output-dir $WORK/out 2>/dev/null"
PEER="curl -s '$URL' | tee >(sha256sum > $WORK/peer.sha) | tar -xz -C $WORK/peer"

# Removing the previous run's ~3,000 files is not timed (it costs either side a second or
# more, and ext4 then scans past the freed inodes, which made runs vary by +-25%).
hyperfine --warmup 1 --runs 7 --shell=bash --export-json "$WORK/h.json" \
  --prepare "rm -rf $WORK/out $WORK/cache; sync" \
  --prepare "rm -rf $WORK/peer; mkdir -p $WORK/peer; sync" \
  -n ours "$OURS" -n peer "$PEER" >&2
read -r T_OURS T_PEER C_OURS C_PEER < <(python3 -c "import json; r=json.load(open('$WORK/h.json'))['results']; print(r[0]['mean'], r[1]['mean'], r[0]['user'] + r[0]['system'], r[1]['user'] + r[1]['system'])")
# The same tree came out, and the cache holds the verified archive.
diff -r "$WORK/out/x86_64-unknown-linux-gnu/python" "$WORK/peer/python" >/dev/null \
  || { echo "trees differ" >&2; exit 1; }
RATIO=$(python3 -c "print(f'{$T_OURS/$T_PEER:.2f}')")
printf 'archive: %s MB\n' "$SIZE_MB" >&2
# CPU seconds (user + system, mean per run): on a loaded machine the wall-clock ratio follows
# them, since both sides then wait for a core; ours includes the JVM's start and JIT.
printf 'cpu: ours %.2fs, peer %.2fs (load %s)\n' "$C_OURS" "$C_PEER" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf 'fetch: ours %.2fs, curl|tee sha256sum|tar %.2fs, ratio %s (goal <= 1.2), heap <= 128 MB\n' \
  "$T_OURS" "$T_PEER" "$RATIO"
