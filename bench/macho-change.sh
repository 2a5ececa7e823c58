#!/usr/bin/env bash
# -change plus ad-hoc re-signing on a ~100 MB arm64 Mach-O (linked here by ld64.lld-16): our CLI
# (-Xmx64m, JVM start included) against llvm-install-name-tool-16 in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/cli-jar.sh
cli_bench binary-patcher
SRC=$PWD/binary-patcher/src/test/c/macho
cd "$WORK"
T="-target arm64-apple-macos11"
P="-arch arm64 -platform_version macos 11.0 11.0"
clang-16 $T -c "$SRC/libsystem.c" -o sys.o
clang-16 $T -c "$SRC/libpython.c" -o py.o
clang-16 $T -c "$SRC/app.c" -o app.o
# 100 MB of data in __DATA so that the signature hashes ~25,000 pages.
printf '.data\n.globl _blob\n_blob:\n.space 100000000, 1\n' > blob.s
clang-16 $T -c blob.s -o blob.o
ld64.lld-16 $P -dylib -install_name /usr/lib/libSystem.B.dylib sys.o -o libSystem.B.dylib
ld64.lld-16 $P -dylib -install_name /install/lib/libpython3.11.dylib py.o -o libpython3.11.dylib -L. -lSystem.B
ld64.lld-16 $P app.o blob.o -o big -L. -lpython3.11 -lSystem.B -headerpad_max_install_names
NEW=@executable_path/python/lib/libpython3.11.dylib
JVM="java -Xmx64m -XX:+UseSerialGC -Xshare:auto"
# AppCDS archive of the classes one -change loads, made by an untimed run (see elf-set-rpath.sh);
# BENCH_CDS=0 measures without it.
if [ "${BENCH_CDS:-1}" != 0 ]; then
  cp big warm
  $JVM -XX:ArchiveClassesAtExit="$WORK/cli.jsa" -jar "$JAR" install_name_tool \
    -change /install/lib/libpython3.11.dylib "$NEW" warm >/dev/null 2>&1 || true
  [ -f "$WORK/cli.jsa" ] && JVM="$JVM -XX:SharedArchiveFile=$WORK/cli.jsa"
fi
hyperfine --warmup 1 --runs 5 --export-json h.json \
  -n ours "cp big a && $JVM -jar $JAR install_name_tool -change /install/lib/libpython3.11.dylib $NEW a" \
  -n llvm "cp big b && llvm-install-name-tool-16 -change /install/lib/libpython3.11.dylib $NEW b" \
  -n copy "cp big c" >&2
java -jar "$JAR" codesign --verify a >&2
python3 - "$(du -m big | cut -f1)" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open("h.json"))["results"]}
ours, llvm = r["ours"] - r["copy"], r["llvm"] - r["copy"]
print(f"input: {sys.argv[1]} MB arm64 Mach-O; copy time subtracted", file=sys.stderr)
print(f"macho-change: ours {ours:.2f}s, llvm-install-name-tool {llvm:.2f}s, ratio {ours/llvm:.2f} (goal <= 1.0), heap <= 64 MB")
PY
