#!/usr/bin/env bash
# How much a set-rpath that must grow .dynstr adds to the file, ours against patchelf in the same
# run, on a non-PIE executable (Debian's python3.11, ET_EXEC) and a PIE one (a gcc-built program
# linked here). Goal: within 4 KB of patchelf's growth on both.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/cli-jar.sh
cli_bench binary-patcher
NOPIE=/usr/bin/python3.11
gcc -O1 -o "$WORK/pie" binary-patcher/src/test/c/elf/hello.c
RPATH='$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib'
growth() { # tool input -> bytes added
  cp "$2" "$WORK/x"
  if [ "$1" = ours ]; then
    java -Xmx64m -XX:+UseSerialGC -jar "$JAR" patchelf --set-rpath "$RPATH" "$WORK/x"
  else
    patchelf --set-rpath "$RPATH" "$WORK/x"
  fi
  "$WORK/x" --version >/dev/null 2>&1 || "$WORK/x" >/dev/null || { echo "patched $2 does not run" >&2; exit 1; }
  echo $(( $(stat -c %s "$WORK/x") - $(stat -c %s "$2") ))
}
O_NOPIE=$(growth ours "$NOPIE"); P_NOPIE=$(growth patchelf "$NOPIE")
O_PIE=$(growth ours "$WORK/pie"); P_PIE=$(growth patchelf "$WORK/pie")
echo "non-PIE $NOPIE: ours +$O_NOPIE B, patchelf +$P_NOPIE B; PIE hello: ours +$O_PIE B, patchelf +$P_PIE B" >&2
python3 - "$O_NOPIE" "$P_NOPIE" "$O_PIE" "$P_PIE" <<'PY'
import sys
o1, p1, o2, p2 = (int(x) / 1024 for x in sys.argv[1:])
worst = max(o1 - p1, o2 - p2)
print(f"elf-size-growth: ours +{o1:.1f} KB non-PIE / +{o2:.1f} KB PIE, patchelf +{p1:.1f} KB / "
      f"+{p2:.1f} KB, excess {worst:.1f} KB (goal <= 4 KB), heap <= 64 MB")
PY
