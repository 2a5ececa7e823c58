#!/usr/bin/env bash
# Sign and publish a release's packages (a PBS-sized deb and rpm made by our packagers, a tar.gz,
# SHA256SUMS) with ours (-Xmx256m: the publishing CLI's release command, which does sign-packages,
# sign, apt and yum in one JVM, signing in parallel and writing both repositories at once) and with
# the native peers in the same run, on the same files and key: rpmsign --addsign (gpg),
# gpg --detach-sign, apt-ftparchive packages/release + gpg --clearsign/-abs, createrepo_c +
# gpg --detach-sign. Ours also signs the deb (debsigs' _gpgorigin), which the peers do not.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
export GNUPGHOME=$WORK/gnupg
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
./mvnw -B -q -o -pl packagers,publishing -DskipTests package >/dev/null
PUB=$PWD/publishing/target/publishing-0.1.0-SNAPSHOT-cli.jar
./mvnw -B -q -pl packagers dependency:build-classpath -Dmdep.outputFile="$WORK/cp" -Dmdep.includeScope=runtime >/dev/null
PACK="java -cp $PWD/packagers/target/classes:$(cat "$WORK/cp") dev.pbstoolchain.packagers.cli.Main"

# The release: libpython, the interpreter and the machine's stdlib (a PBS install's shape).
T=$WORK/tree/python
mkdir -p "$T/lib" "$T/bin" "$WORK/in"
cp /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 "$T/lib/"
cp /usr/bin/python3.11 "$T/bin/"
cp -rL /usr/lib/python3.11 "$T/lib/python3.11" 2>/dev/null || true
cp /usr/bin/python3.11 "$WORK/tree/app"
(cd "$WORK" && $PACK tar.gz,deb,rpm app tree/app tree/python in >/dev/null)
(cd "$WORK/in" && sha256sum -- * > SHA256SUMS)
MB=$(du -sm "$WORK/in" | cut -f1)

# One key for both: Ed25519, passphrase-protected.
mkdir -m 700 "$GNUPGHOME"
PASS="bench passphrase"
printf '%s' "$PASS" > "$WORK/pass"
gpg -q --batch --pinentry-mode loopback --passphrase "$PASS" \
  --quick-gen-key "Bench <bench@example.com>" ed25519 sign 1y 2>/dev/null
FPR=$(gpg --with-colons --list-keys bench@example.com | awk -F: '/^fpr/ {print $10; exit}')
gpg -q --batch --pinentry-mode loopback --passphrase "$PASS" --armor \
  --export-secret-keys "$FPR" > "$WORK/key.asc"
GPG="gpg -q --batch --yes --pinentry-mode loopback --passphrase-file $WORK/pass -u $FPR"
TIME=2026-11-24T00:00:00Z

cat > "$WORK/ours.sh" <<SH
set -e
cd $WORK/w
J="java -Xmx256m -jar $PUB"
export PBS_SIGNING_PASSPHRASE="$PASS"
\$J release --key $WORK/key.asc --time $TIME --apt $WORK/r/apt --yum $WORK/r/yum \\
  *.rpm *.deb SHA256SUMS
SH
cat > "$WORK/peer.sh" <<SH
set -e
cd $WORK/w
rpmsign --addsign --rpmv3 --define "__gpg $(command -v gpg)" --define "_gpg_name $FPR" \
  --define "_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback --passphrase-file $WORK/pass" \
  *.rpm >/dev/null
$GPG --armor --detach-sign -o SHA256SUMS.asc SHA256SUMS
A=$WORK/r/apt; mkdir -p \$A/pool/main/a/app \$A/dists/stable/main/binary-amd64
cp *.deb \$A/pool/main/a/app/
(cd \$A && apt-ftparchive packages pool > dists/stable/main/binary-amd64/Packages \
  && gzip -9kn dists/stable/main/binary-amd64/Packages \
  && apt-ftparchive -o APT::FTPArchive::Release::Suite=stable \
     -o APT::FTPArchive::Release::Components=main \
     -o APT::FTPArchive::Release::Architectures=amd64 release dists/stable > dists/stable/Release \
  && $GPG --clearsign -o dists/stable/InRelease dists/stable/Release \
  && $GPG -abs -o dists/stable/Release.gpg dists/stable/Release)
Y=$WORK/r/yum; mkdir -p \$Y; cp *.rpm \$Y/
createrepo_c -q \$Y
$GPG --armor --detach-sign -o \$Y/repodata/repomd.xml.asc \$Y/repodata/repomd.xml
SH
RESET="rm -rf $WORK/w $WORK/r && cp -r $WORK/in $WORK/w"
hyperfine --warmup 1 --runs 3 --export-json "$WORK/h.json" \
  --prepare "$RESET" -n ours "bash $WORK/ours.sh" \
  --prepare "$RESET" -n peers "bash $WORK/peer.sh" >&2
# Our outputs, checked by the peers' tools: rpm -K and gpg --verify.
bash -c "$RESET" && bash "$WORK/ours.sh" >/dev/null
gpg --armor --export "$FPR" > "$WORK/KEY.asc"
rpm --dbpath "$WORK/rpmdb" --import "$WORK/KEY.asc"
rpm --dbpath "$WORK/rpmdb" -K "$WORK"/w/*.rpm | grep -q "digests signatures OK"
gpg -q --verify "$WORK/w/SHA256SUMS.asc" "$WORK/w/SHA256SUMS" 2>/dev/null
python3 - "$WORK/h.json" "$MB" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"release: {sys.argv[2]} MB (tar.gz, deb, rpm)", file=sys.stderr)
print(f"publish: ours {r['ours']:.2f}s, gpg+rpmsign+apt-ftparchive+createrepo_c {r['peers']:.2f}s, "
      f"ratio {r['ours']/r['peers']:.2f} (goal <= 1.0), heap <= 256 MB")
PY
