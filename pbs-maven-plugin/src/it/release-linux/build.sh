#!/usr/bin/env bash
# The app's native build for every target of the matrix, as a cargo/PyO3 build would do it: link
# the libpython each target's PyO3 config names (lib_dir + lib_name), nothing else.
set -euo pipefail
value() { sed -n "s/^$1=//p" "$2"; }
for CONFIG in target/pbs/*/pyo3-config.txt; do
  TRIPLE=$(basename "$(dirname "$CONFIG")")
  LIB_DIR=$(value lib_dir "$CONFIG")
  LIB_NAME=$(value lib_name "$CONFIG")
  VERSION=$(value version "$CONFIG")
  OUT=target/native/$TRIPLE
  mkdir -p "$OUT"
  case "$TRIPLE" in
    x86_64-unknown-linux-gnu)
      HOME_DIR=$(dirname "$LIB_DIR")
      gcc -O2 -s -o "$OUT/embedded-app" src/main/c/embedded-app.c \
        -I"$HOME_DIR/include/python$VERSION" -L"$LIB_DIR" -l"$LIB_NAME" ;;
    aarch64-unknown-linux-gnu)
      aarch64-linux-gnu-gcc -O2 -DPBS_STUB_PYTHON -o "$OUT/embedded-app" src/main/c/embedded-app.c \
        -L"$LIB_DIR" -l"$LIB_NAME" ;;
    aarch64-apple-darwin)
      # No macOS SDK on a Linux host: clang + ld64.lld with a stub libSystem to link against.
      clang-16 -target arm64-apple-macos11 -DPBS_STUB_PYTHON -c src/main/c/embedded-app.c -o "$OUT/app.o"
      clang-16 -target arm64-apple-macos11 -c src/main/c/macos-libsystem-stub.c -o "$OUT/sys.o"
      ld64.lld-16 -arch arm64 -platform_version macos 11.0 11.0 -dylib \
        -install_name /usr/lib/libSystem.B.dylib "$OUT/sys.o" -o "$OUT/libSystem.B.dylib"
      ld64.lld-16 -arch arm64 -platform_version macos 11.0 11.0 "$OUT/app.o" -o "$OUT/embedded-app" \
        -L"$LIB_DIR" -l"$LIB_NAME" -L"$OUT" -lSystem.B -headerpad_max_install_names ;;
    x86_64-pc-windows-msvc)
      x86_64-w64-mingw32-gcc -O2 -DPBS_STUB_PYTHON -o "$OUT/embedded-app.exe" \
        src/main/c/embedded-app.c -L"$LIB_DIR" -l"$LIB_NAME" ;;
  esac
  echo "built $OUT for $TRIPLE against -L$LIB_DIR -l$LIB_NAME"
done
