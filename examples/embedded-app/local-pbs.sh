#!/usr/bin/env bash
# For machines that cannot reach GitHub (CI sandboxes, air-gapped builders trying the example):
# publishes a PBS-shaped release as a pbs.mirror directory (OUT/DATE/<assets> + SHA256SUMS):
# - x86_64 Linux: THIS machine's CPython 3.11 (Debian's python3.11 + libpython3.11, shared);
# - aarch64 Linux, macOS arm64, Windows x64: stand-in libpythons with PBS's file names and install
#   names and one real function (Py_GetVersion), built with the cross tools .ci/run installs.
# The artifacts then ship Debian's CPython and stand-ins, not python-build-standalone: a
# demonstration only. Licence data comes from the Debian packages' copyright files.
set -euo pipefail
# The archives take their modes from the files made here: the same whatever the caller's umask.
umask 022
OUT=$1 DATE=$2 VERSION=$3
TRIPLE=x86_64-unknown-linux-gnu
MM=3.11
for need in /usr/lib/x86_64-linux-gnu/libpython$MM.so.1.0 /usr/bin/python$MM /usr/include/python$MM; do
  [ -e "$need" ] || { echo "local-pbs.sh: $need is missing: apt-get install python$MM libpython$MM-dev" >&2; exit 2; }
done
command -v zstd >/dev/null || { echo "local-pbs.sh: zstd is missing: apt-get install zstd" >&2; exit 2; }

RELEASE=$OUT/$DATE
PREFIX=cpython-$VERSION+$DATE-$TRIPLE
if [ -s "$RELEASE/SHA256SUMS" ]; then
  echo "local-pbs.sh: $RELEASE already published"
  exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tarball() { tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - python; }

# install_only: bin, lib (libpython + stdlib incl. lib-dynload), include.
P=$WORK/install/python
mkdir -p "$P/bin" "$P/lib/python$MM" "$P/include"
cp /usr/bin/python$MM "$P/bin/"
ln -s python$MM "$P/bin/python3"
cp /usr/lib/x86_64-linux-gnu/libpython$MM.so.1.0 "$P/lib/"
ln -s libpython$MM.so.1.0 "$P/lib/libpython$MM.so"
cp -rL /usr/include/python$MM "$P/include/"
cp /usr/include/x86_64-linux-gnu/python$MM/pyconfig.h "$P/include/python$MM/pyconfig.h"
(cd /usr/lib/python$MM && tar -cf - --exclude=__pycache__ --exclude=test --exclude=site-packages \
  --exclude=dist-packages --exclude=idlelib --exclude=tkinter --exclude=turtledemo \
  --exclude=ensurepip --exclude=lib2to3 --exclude=sitecustomize.py --exclude="config-$MM*" -h .) | tar -C "$P/lib/python$MM" -xf -

# full: PYTHON.json (schema 8) + licences of what this CPython links.
F=$WORK/full/python
mkdir -p "$F/licenses"
cp /usr/lib/python$MM/LICENSE.txt "$F/licenses/LICENSE.cpython.txt"
extensions=""
component() { # module debian-package spdx licence-file-name link
  local copyright=/usr/share/doc/$2/copyright
  if [ ! -f "$copyright" ]; then
    echo "local-pbs.sh: $copyright not found, $1 left out of PYTHON.json" >&2
    return
  fi
  cp "$copyright" "$F/licenses/$4"
  extensions+="${extensions:+,}\"$1\": [{\"in_core\": false, \"licenses\": [\"$3\"],"
  extensions+=" \"license_paths\": [\"licenses/$4\"], \"license_public_domain\": false,"
  extensions+=" \"links\": [{\"name\": \"$5\", \"system\": true}], \"required\": false, \"variant\": \"default\"}]"
}
component _ssl libssl3 Apache-2.0 LICENSE.openssl-3.txt ssl
component _hashlib libssl3 Apache-2.0 LICENSE.openssl-3.txt crypto
component _sqlite3 libsqlite3-0 blessing LICENSE.sqlite.txt sqlite3
component _ctypes libffi8 MIT LICENSE.libffi.txt ffi
component zlib zlib1g Zlib LICENSE.zlib.txt z
component _bz2 libbz2-1.0 bzip2-1.0.6 LICENSE.bzip2.txt bz2
component _lzma liblzma5 0BSD LICENSE.liblzma.txt lzma
component pyexpat libexpat1 MIT LICENSE.expat.txt expat
component _uuid libuuid1 BSD-3-Clause LICENSE.libuuid.txt uuid
component readline libreadline8 GPL-3.0-or-later LICENSE.readline.txt readline
cat > "$F/PYTHON.json" <<JSON
{
  "version": "8",
  "target_triple": "$TRIPLE",
  "python_version": "$(/usr/bin/python$MM -c 'import platform; print(platform.python_version())')",
  "python_major_minor_version": "$MM",
  "python_tag": "cp311",
  "python_exe": "install/bin/python$MM",
  "libpython_link_mode": "shared",
  "optimizations": "pgo+lto",
  "crt_features": ["glibc-dynamic"],
  "licenses": ["Python-2.0", "CNRI-Python"],
  "license_path": "licenses/LICENSE.cpython.txt",
  "build_info": {"core": {"objs": [], "links": []}, "object_file_format": "elf",
    "extensions": {$extensions}}
}
JSON

mkdir -p "$RELEASE"
tarball "$WORK/install" | gzip -n -6 > "$RELEASE/$PREFIX-install_only_stripped.tar.gz"
tarball "$WORK/full" | zstd -q -3 -o "$RELEASE/$PREFIX-pgo+lto-full.tar.zst"

# The stand-ins: install_only trees built here, full archives with the same licence data.
need() { command -v "$1" >/dev/null || { echo "local-pbs.sh: $1 is missing: apt-get install $2" >&2; exit 2; }; }
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
need clang-16 clang-16
need ld64.lld-16 lld-16
need x86_64-w64-mingw32-gcc mingw-w64
S=$WORK/stand-in
mkdir -p "$S"
printf '%s\n' '#ifdef _WIN32' '__declspec(dllexport)' '#endif' \
  'const char *Py_GetVersion(void) { return "'"$VERSION"' (stand-in)"; }' > "$S/py.c"
printf '%s\n' 'int puts(const char *s) { return s != 0; }' \
  'int printf(const char *f, ...) { return f != 0; }' \
  'void binder(void) __asm__("dyld_stub_binder");' 'void binder(void) {}' > "$S/sys.c"
standin() { # triple full-flavour-suffix tree-builder
  local root=$WORK/$1
  mkdir -p "$root/python"
  "$3" "$root/python"
  tarball "$root" | gzip -n -6 > "$RELEASE/cpython-$VERSION+$DATE-$1-install_only_stripped.tar.gz"
  sed "s/x86_64-unknown-linux-gnu/$1/" "$F/PYTHON.json" > "$WORK/full-$1.json"
  mkdir -p "$WORK/full-$1/python" && cp -r "$F/licenses" "$WORK/full-$1/python/"
  cp "$WORK/full-$1.json" "$WORK/full-$1/python/PYTHON.json"
  tarball "$WORK/full-$1" | zstd -q -3 -o "$RELEASE/cpython-$VERSION+$DATE-$1-$2.tar.zst"
}
linux_arm64() {
  mkdir -p "$1/lib/python$MM" "$1/bin"
  aarch64-linux-gnu-gcc -shared -fPIC -Wl,-soname,libpython$MM.so.1.0 -o "$1/lib/libpython$MM.so.1.0" "$S/py.c"
  ln -s libpython$MM.so.1.0 "$1/lib/libpython$MM.so"
  cp "$1/lib/libpython$MM.so.1.0" "$1/bin/python$MM" && ln -s python$MM "$1/bin/python3"
  printf '# stdlib stand-in\n' > "$1/lib/python$MM/os.py"
}
darwin_arm64() {
  mkdir -p "$1/lib/python$MM" "$1/bin"
  local p=(-arch arm64 -platform_version macos 11.0 11.0)
  clang-16 -target arm64-apple-macos11 -c "$S/sys.c" -o "$S/sys.o"
  clang-16 -target arm64-apple-macos11 -c "$S/py.c" -o "$S/py.o"
  ld64.lld-16 "${p[@]}" -dylib -install_name /usr/lib/libSystem.B.dylib "$S/sys.o" -o "$S/libSystem.B.dylib"
  ld64.lld-16 "${p[@]}" -dylib -install_name /install/lib/libpython$MM.dylib "$S/py.o" \
    -o "$1/lib/libpython$MM.dylib" -L"$S" -lSystem.B
  cp "$1/lib/libpython$MM.dylib" "$1/bin/python$MM" && ln -s python$MM "$1/bin/python3"
  printf '# stdlib stand-in\n' > "$1/lib/python$MM/os.py"
}
windows_x64() {
  local nodot=${MM/./}
  mkdir -p "$1/libs" "$1/Lib"
  # The same bytes on every run: no link time in the PE headers, and no image base hashed from
  # the (temporary) output path.
  local ld="-Wl,--no-insert-timestamp -Wl,--disable-auto-image-base"
  x86_64-w64-mingw32-gcc -shared -o "$1/python$nodot.dll" "$S/py.c" $ld -Wl,--out-implib,"$1/libs/python$nodot.lib"
  x86_64-w64-mingw32-gcc -shared -o "$1/python3.dll" "$S/py.c" $ld
  printf 'int vc(void) { return 0; }\n' > "$S/vc.c"
  x86_64-w64-mingw32-gcc -shared -o "$1/vcruntime140.dll" "$S/vc.c" $ld
  cp "$1/python3.dll" "$1/python.exe"
  printf '# stdlib stand-in\n' > "$1/Lib/os.py"
}
standin aarch64-unknown-linux-gnu pgo+lto-full linux_arm64
standin aarch64-apple-darwin pgo+lto-full darwin_arm64
# Windows full archives of this era carry "-shared" in their names.
standin x86_64-pc-windows-msvc shared-pgo-full windows_x64
(cd "$RELEASE" && sha256sum -- *.tar.* > SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
echo "local-pbs.sh: published $RELEASE (this machine's CPython $(/usr/bin/python$MM -c 'import platform; print(platform.python_version())'))"
