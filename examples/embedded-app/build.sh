#!/usr/bin/env bash
# The app's native build, as a cargo/PyO3 build would do it: link the libpython the PyO3 config
# names (lib_dir + lib_name), nothing else.
set -euo pipefail
CONFIG=$1
value() { sed -n "s/^$1=//p" "$CONFIG"; }
LIB_DIR=$(value lib_dir)
LIB_NAME=$(value lib_name)
VERSION=$(value version)
HOME_DIR=$(dirname "$LIB_DIR")
OUT=target/native/x86_64-unknown-linux-gnu
mkdir -p "$OUT"
gcc -O2 -s -o "$OUT/embedded-app" src/main/c/embedded-app.c \
  -I"$HOME_DIR/include/python$VERSION" -L"$LIB_DIR" -l"$LIB_NAME"
echo "built $OUT/embedded-app against -L$LIB_DIR -l$LIB_NAME"
