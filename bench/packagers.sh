#!/usr/bin/env bash
# Package a PBS-sized tree (~180 MB, ~5,000 files, symlinks) in each format with ours (-Xmx128m)
# and with the native peers in the same run: tar czf, tar -I pigz, dpkg-deb -b -Zgzip, zip -r,
# rpmbuild -bb.
# The summary compares all four of our formats together against `tar czf` alone.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
./mvnw -B -q -o -pl packagers -DskipTests package >/dev/null
./mvnw -B -q -pl packagers dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=runtime >/dev/null
CP=$PWD/packagers/target/classes:$(cat "$WORK/cp")

# The tree, shaped like a PBS install (~180 MB, ~5,000 files, symlinks): libpython and the
# interpreter, the machine's CPython stdlib three times over, zoneinfo standing in for terminfo's
# small files and links (links to directories and absolute links dropped: PBS has none), and,
# if that is under 180 MB, a slice of a large shared library to make it up.
T=$WORK/tree/python
mkdir -p "$T/lib" "$T/bin" "$T/share"
cp /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 "$T/lib/"
ln -s libpython3.11.so.1.0 "$T/lib/libpython3.11.so"
cp /usr/bin/python3.11 "$T/bin/"; ln -s python3.11 "$T/bin/python3"
for i in 0 1 2; do cp -rL /usr/lib/python3.11 "$T/lib/python3.11-$i" 2>/dev/null || true; done
cp -rP /usr/share/zoneinfo "$T/share/terminfo"
find "$T/share/terminfo" -type l \( -xtype d -o -lname "/*" \) -delete
BIG=$(ls -S /usr/lib/x86_64-linux-gnu/*.so* | sed -n 1p)
MISSING=$((180 - $(du -sm "$T" | cut -f1)))
[ "$MISSING" -gt 0 ] && head -c $((MISSING * 1024 * 1024)) "$BIG" > "$T/lib/libbig.so"
cp /usr/bin/python3.11 "$WORK/tree/app"
FILES=$(find "$T" -type f | wc -l)
MB=$(du -sm "$T" | cut -f1)
mkdir -p "$WORK/deb/DEBIAN" "$WORK/deb/usr/lib/app" "$WORK/out"
printf 'Package: app\nVersion: 1.0.0-1\nArchitecture: amd64\nMaintainer: b <b@example.com>\nDescription: bench\n' > "$WORK/deb/DEBIAN/control"
cp -a "$T" "$WORK/deb/usr/lib/app/"
# rpmbuild -bb from a prepared tree, gzip level 6, no dependency scan or post-install scripts:
# the packaging work only, like ours.
mkdir -p "$WORK/rpmbuild/SPECS"
cat > "$WORK/rpmbuild/SPECS/app.spec" <<SPEC
Name: app
Version: 1.0.0
Release: 1
Summary: bench
License: MIT
AutoReqProv: no
%define _binary_payload w6.gzdio
%define __os_install_post %{nil}
%define debug_package %{nil}
%define _build_id_links none
%description
bench
%install
mkdir -p %{buildroot}/usr/lib/app %{buildroot}/usr/bin
cp -a $WORK/tree/python %{buildroot}/usr/lib/app/
cp $WORK/tree/app %{buildroot}/usr/bin/app
%files
/usr/bin/app
/usr/lib/app
SPEC
JAVA="java -Xmx128m -XX:+UseParallelGC -cp $CP dev.pbstoolchain.packagers.cli.Main"
cd "$WORK"
hyperfine --warmup 1 --runs 3 --export-json h.json \
  -n "ours tar.gz" "$JAVA tar.gz app tree/app tree/python out" \
  -n "ours deb" "$JAVA deb app tree/app tree/python out" \
  -n "ours rpm" "$JAVA rpm app tree/app tree/python out" \
  -n "ours zip" "$JAVA zip app tree/app tree/python out" \
  -n "ours all four" "$JAVA tar.gz,deb,rpm,zip app tree/app tree/python out" \
  -n "tar czf" "tar -C tree -czf out/peer.tar.gz app python" \
  -n "tar -I pigz" "tar -C tree -I pigz -cf out/peer-pigz.tar.gz app python" \
  -n "dpkg-deb -Zgzip" "dpkg-deb -Zgzip --root-owner-group -b deb out/peer.deb" \
  -n "zip -r" "cd tree && zip -qr ../out/peer.zip app python" \
  -n "rpmbuild -bb" "rpmbuild -bb --quiet --define '_topdir $WORK/rpmbuild' $WORK/rpmbuild/SPECS/app.spec" >&2
python3 - "$MB" "$FILES" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open("h.json"))["results"]}
mb, files = sys.argv[1], sys.argv[2]
print(f"tree: {mb} MB, {files} files", file=sys.stderr)
for ours, peer in (("ours tar.gz", "tar czf"), ("ours deb", "dpkg-deb -Zgzip"), ("ours zip", "zip -r")):
    print(f"  {ours}: {r[ours]:.2f}s vs {peer} {r[peer]:.2f}s, ratio {r[ours]/r[peer]:.2f} (goal <= 0.5)", file=sys.stderr)
print(f"  ours rpm: {r['ours rpm']:.2f}s vs rpmbuild -bb {r['rpmbuild -bb']:.2f}s, ratio {r['ours rpm']/r['rpmbuild -bb']:.2f} (goal <= 0.5)", file=sys.stderr)
print(f"  (tar -I pigz {r['tar -I pigz']:.2f}s)", file=sys.stderr)
print(f"packagers: ours {r['ours all four']:.2f}s, tar czf {r['tar czf']:.2f}s, ratio {r['ours all four']/r['tar czf']:.2f} (goal <= 1.0), heap <= 128 MB")
PY
