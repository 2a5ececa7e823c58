#!/usr/bin/env bash
# The app's native build for every target pbs:fetch unpacked, as a cargo/PyO3 build would do it:
# link the libpython each target's PyO3 config names (lib_dir + lib_name). Linux targets get the
# whole embedding program when the bundled Python's headers are there; macOS and Windows, built
# from Linux without their SDKs, get a minimal main linked the same way (src/main/c).
set -euo pipefail
value() { sed -n "s/^$1=//p" "$2"; }
need() {
  command -v "$1" >/dev/null || {
    echo "build.sh: $1 is missing: apt-get install $2, or release without $TRIPLE (-Dpbs.targets=...)" >&2
    exit 1
  }
}
shopt -s nullglob
configs=(target/pbs/*/pyo3-config.txt)
[ ${#configs[@]} -gt 0 ] || { echo "build.sh: no target/pbs/*/pyo3-config.txt: run pbs:pyo3-config first" >&2; exit 1; }
for CONFIG in "${configs[@]}"; do
  TRIPLE=$(basename "$(dirname "$CONFIG")")
  LIB_DIR=$(value lib_dir "$CONFIG")
  LIB_NAME=$(value lib_name "$CONFIG")
  VERSION=$(value version "$CONFIG")
  HOME_DIR=$(dirname "$LIB_DIR")
  OUT=target/native/$TRIPLE
  mkdir -p "$OUT"
  EMBED=(-DPBS_STUB_PYTHON)
  if [ -f "$HOME_DIR/include/python$VERSION/Python.h" ]; then
    EMBED=(-I"$HOME_DIR/include/python$VERSION")
  fi
  case "$TRIPLE" in
    x86_64-unknown-linux-gnu)
      need gcc gcc
      gcc -O2 -s "${EMBED[@]}" -o "$OUT/embedded-app" src/main/c/embedded-app.c \
        -L"$LIB_DIR" -l"$LIB_NAME" ;;
    aarch64-unknown-linux-gnu)
      need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
      aarch64-linux-gnu-gcc -O2 -s "${EMBED[@]}" -o "$OUT/embedded-app" src/main/c/embedded-app.c \
        -L"$LIB_DIR" -l"$LIB_NAME" ;;
    *-apple-darwin)
      need clang-16 clang-16
      need ld64.lld-16 lld-16
      ARCH=${TRIPLE%%-*}; [ "$ARCH" = aarch64 ] && ARCH=arm64
      MIN=11.0; [ "$ARCH" = x86_64 ] && MIN=10.12
      # No macOS SDK on a Linux host: a stub libSystem to link against.
      clang-16 -target "$ARCH-apple-macos$MIN" -DPBS_STUB_PYTHON -c src/main/c/embedded-app.c -o "$OUT/app.o"
      clang-16 -target "$ARCH-apple-macos$MIN" -c src/main/c/macos-libsystem-stub.c -o "$OUT/sys.o"
      ld64.lld-16 -arch "$ARCH" -platform_version macos "$MIN" "$MIN" -dylib \
        -install_name /usr/lib/libSystem.B.dylib "$OUT/sys.o" -o "$OUT/libSystem.B.dylib"
      ld64.lld-16 -arch "$ARCH" -platform_version macos "$MIN" "$MIN" "$OUT/app.o" -o "$OUT/embedded-app" \
        -L"$LIB_DIR" -l"$LIB_NAME" -L"$OUT" -lSystem.B -headerpad_max_install_names
      rm "$OUT/app.o" "$OUT/sys.o" "$OUT/libSystem.B.dylib" ;;
    x86_64-pc-windows-*)
      need x86_64-w64-mingw32-gcc mingw-w64
      # GNU ld links the DLL itself (beside python.exe) before PBS's MSVC import library. It
      # also stamps the link time into the PE header unless told not to: the zip would differ
      # on every build.
      x86_64-w64-mingw32-gcc -O2 -s -DPBS_STUB_PYTHON -o "$OUT/embedded-app.exe" \
        src/main/c/embedded-app.c -L"$HOME_DIR" -L"$LIB_DIR" -l"$LIB_NAME" \
        -Wl,--no-insert-timestamp ;;
    *)
      echo "build.sh: no recipe for $TRIPLE" >&2
      exit 1 ;;
  esac
  echo "built $OUT for $TRIPLE against -L$LIB_DIR -l$LIB_NAME"
done
