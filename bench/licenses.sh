#!/usr/bin/env bash
# Extract licence data from a ~200 MB PBS-shaped *-full.tar.zst whose licence files sit near the
# end: our CLI (-Xmx128m, one streaming pass) against `zstd -dc | tar -x python/PYTHON.json
# python/licenses` in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/cli-jar.sh
cli_bench license-aggregator
mkdir -p "$WORK/t/python/install/lib" "$WORK/t/python/licenses"
# ~200 MB of real, compressible content first (shared libraries and the stdlib), licences last.
for f in /usr/lib/x86_64-linux-gnu/*.so*; do
  [ "$(du -sm "$WORK/t" | cut -f1)" -ge 200 ] && break
  [ -f "$f" ] && cp "$f" "$WORK/t/python/install/lib/" 2>/dev/null || true
done
cp license-aggregator/src/test/resources/python-json/linux-v8.json "$WORK/t/python/PYTHON.json"
cp ../shared/fixtures/pbs/licenses/* "$WORK/t/python/licenses/"
A="$WORK/cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-pgo+lto-full.tar.zst"
(cd "$WORK/t" && find python/install -type f | sort > ../order && echo python/PYTHON.json >> ../order \
  && find python/licenses -type f | sort >> ../order && tar -cf - -T ../order | zstd -q -3 -T0 -o "$A")
SIZE=$(du -m "$A" | cut -f1)
cd "$WORK"
hyperfine --warmup 1 --runs 5 --export-json h.json \
  -n ours "rm -rf o && java -Xmx128m -XX:+UseSerialGC -jar $JAR $A o >/dev/null 2>&1" \
  -n "zstd|tar" "rm -rf p && mkdir p && zstd -dc $A | tar -x -C p python/PYTHON.json python/licenses" >&2
python3 - "$SIZE" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open("h.json"))["results"]}
print(f"archive: {sys.argv[1]} MB (compressed)", file=sys.stderr)
print(f"licenses: ours {r['ours']:.2f}s, zstd|tar {r['zstd|tar']:.2f}s, ratio {r['ours']/r['zstd|tar']:.2f} (goal <= 1.0), heap <= 128 MB")
PY
