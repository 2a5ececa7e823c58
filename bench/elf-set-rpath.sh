#!/usr/bin/env bash
# set-rpath on a copy of a ~100 MB real program (/usr/bin/node, else python3.11): our CLI
# (JVM start included, -Xmx64m) against patchelf, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/cli-jar.sh
cli_bench binary-patcher
INPUT=/usr/bin/node
[ -f "$INPUT" ] || INPUT=/usr/bin/python3.11
cp "$INPUT" "$WORK/ours"
cp "$INPUT" "$WORK/theirs"
RPATH='$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib'
JVM="java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
# AppCDS, as a user running the CLI many times would set it up once: an archive of the classes one
# set-rpath loads, made by an untimed run (JDK 17: -XX:ArchiveClassesAtExit). A JDK that cannot
# use it falls back to plain start-up (-Xshare:auto). BENCH_CDS=0 measures without it.
if [ "${BENCH_CDS:-1}" != 0 ]; then
  cp "$INPUT" "$WORK/warm"
  $JVM -XX:ArchiveClassesAtExit="$WORK/cli.jsa" -jar "$JAR" patchelf --set-rpath "$RPATH" \
    "$WORK/warm" >/dev/null 2>&1 || true
  [ -f "$WORK/cli.jsa" ] && JVM="$JVM -XX:SharedArchiveFile=$WORK/cli.jsa"
fi
JAVA="$JVM -jar $JAR"
hyperfine --warmup 1 --runs 10 --export-json "$WORK/h.json" \
  -n ours "cp $INPUT $WORK/ours && $JAVA patchelf --set-rpath '$RPATH' $WORK/ours" \
  -n patchelf "cp $INPUT $WORK/theirs && patchelf --set-rpath '$RPATH' $WORK/theirs" >&2
# Subtract the copy both commands include.
hyperfine --warmup 1 --runs 10 --export-json "$WORK/c.json" -n copy "cp $INPUT $WORK/copy" >&2
"$WORK/ours" --version >/dev/null 2>&1 || { echo "patched program does not run" >&2; exit 1; }
read -r T_OURS T_PEER T_COPY < <(python3 -c "
import json
r = json.load(open('$WORK/h.json'))['results']
c = json.load(open('$WORK/c.json'))['results'][0]['mean']
print(max(r[0]['mean'] - c, 0.001), max(r[1]['mean'] - c, 0.001), c)")
RATIO=$(python3 -c "print(f'{$T_OURS/$T_PEER:.2f}')")
echo "input: $INPUT ($(du -m "$INPUT" | cut -f1) MB), copy time subtracted: ${T_COPY}s," \
  "ours: $JAVA" >&2
printf 'elf-set-rpath: ours %.3fs, patchelf %.3fs, ratio %s (goal <= 0.5), heap <= 64 MB\n' \
  "$T_OURS" "$T_PEER" "$RATIO"
