// Runs the app from every artifact as its users would, and checks what the release promises.
import java.nio.file.Files

def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
def dist = new File(basedir, "target/pbs-dist")

// The same release through pbs-cli, without Maven, from a copy of the sources and a cache of its
// own: prepare, the same native build, release. Every file it writes must be the goals' bytes.
def cliProject = new File(basedir, "target/cli-project")
cliProject.mkdirs()
["build.sh", "src", "matrix.yaml", "copyright", "packaging"].each {
  run(["cp", "-r", new File(basedir, it).path, cliProject.path])
}
def mirror = (new File(basedir, ".mvn/maven.config").text =~ /-Dpbs\.mirror=(\S+)/)[0][1]
// The CLI takes the signing key's passphrase from the environment (Maven: settings.xml's server).
def signingKey = new File(basedir, "signing-key.asc")
def cli = { List<String> args ->
  run(["env", "PBS_SIGNING_PASSPHRASE=" + dev.pbstoolchain.testing.Gpg.PASSPHRASE,
      "java", "-jar", cliJar] + args + ["--project", cliProject.path, "--mirror", mirror,
      "--signing-key-file", signingKey.path,
      "--cache-dir", new File(cliProject, "cache").path, "--app-version", "1.2.0",
      "--output-timestamp", "2026-11-24T00:00:00Z", "--max-glibc", "2.36"])
}
def prepared = cli(["prepare"])
assert prepared.contains("x86_64-unknown-linux-gnu: PYO3_CONFIG_FILE=${cliProject.path}/target/pbs/") : prepared
run(["bash", "-c", "cd '${cliProject.path}' && bash build.sh".toString()])
def released = cli(["release"])
assert released.contains("Verified 8 artifacts") : released
def cliDist = new File(cliProject, "target/pbs-dist")
def names = { File d -> d.listFiles().findAll { it.isFile() }*.name.sort() }
assert names(cliDist) == names(dist)
names(dist).findAll { it != "verify-report.json" }.each {
  // Arrays.equals, not ==: Groovy compares arrays element by element through reflection.
  assert java.util.Arrays.equals(new File(cliDist, it).bytes, new File(dist, it).bytes) : "pbs-cli wrote another ${it}"
}
// The reports hold the smoke runs' times and scratch paths; their checks and verdicts agree.
def verdicts = { File d ->
  new groovy.json.JsonSlurper().parse(new File(d, "verify-report.json")).checks.collect {
    [it.artifact, it.check, it.passed]
  }
}
assert verdicts(cliDist) == verdicts(dist)

def log = new File(basedir, "build.log").text
assert !log.contains(dev.pbstoolchain.testing.Gpg.PASSPHRASE) : "the passphrase is in build.log"

// Signed: both front ends signed with the same key and time, so the bytes above were the same.
// A user with KEY.asc checks SHA256SUMS, the rpm signatures (rpm -K) and the deb's origin.
def release = new File(basedir, "target/pbs-release")
def key = new File(release, "KEY.asc")
def userGpg = new dev.pbstoolchain.testing.Gpg(new File(basedir, "target/user-gnupg").toPath())
userGpg.importKey(key.toPath())
[dist, release].each {
  def checked = userGpg.result(null, "--status-fd", "1", "--verify",
      new File(it, "SHA256SUMS.asc").path, new File(it, "SHA256SUMS").path)
  assert checked.out().contains("[GNUPG:] VALIDSIG") : checked.out()
  run(["bash", "-c", "cd '${it.path}' && sha256sum --strict -c SHA256SUMS".toString()])
}
userGpg.close()
def rpmdb = new File(basedir, "target/user-rpmdb"); rpmdb.mkdirs()
run(["rpm", "--dbpath", rpmdb.path, "--import", key.path])
["embedded-app-1.2.0-1.x86_64.rpm", "embedded-app-1.2.0-1.aarch64.rpm"].each {
  assert run(["rpm", "--dbpath", rpmdb.path, "-K", new File(dist, it).path]).contains("digests signatures OK")
}
["embedded-app_1.2.0-1_amd64.deb", "embedded-app_1.2.0-1_arm64.deb"].each {
  assert run(["ar", "t", new File(dist, it).path]).readLines().last() == "_gpgorigin"
}

// Four build jobs, one per target (as parallel CI runners would), published together: the same
// release, byte for byte, as this one full build published by pbs:publish.
def triples = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc"]
triples.each { cli(["release", "--targets", it, "--dist-dir", "target/jobs/" + it]) }
def published = cli(["publish", "--publish-from", triples.collect { "target/jobs/" + it }.join(","),
    "--publish-to", "target/jobs-release"])
assert published.contains("Published embedded-app 1.2.0 (8 artifacts of 4 targets)") : published
def jobsRelease = new File(cliProject, "target/jobs-release")
def tree = { File root ->
  def files = [:]
  root.eachFileRecurse(groovy.io.FileType.FILES) { files[root.toPath().relativize(it.toPath()).toString()] = it.bytes.sha256() }
  files
}
assert tree(jobsRelease) == tree(release)
assert new File(release, "SHA256SUMS").readLines().size() == 8
// A job whose target/pbs-dist is missing is refused by name.
def refused = new ProcessBuilder(["env", "PBS_SIGNING_PASSPHRASE=" + dev.pbstoolchain.testing.Gpg.PASSPHRASE,
    "java", "-jar", cliJar, "publish", "--project", cliProject.path, "--signing-key-file", signingKey.path,
    "--publish-from", triples.take(3).collect { "target/jobs/" + it }.join(","), "--publish-to", "target/refused"])
    .redirectErrorStream(true).start()
def refusal = refused.inputStream.text
assert refused.waitFor() != 0
assert refusal.contains("No build output for x86_64-pc-windows-msvc") : refusal
assert !new File(cliProject, "target/refused").exists()
// The PBS mirror served the CLI runs above.
System.getProperties().remove("pbs.it.server." + basedir.name)?.close()

// apt and dnf, over HTTP from the published release, signature checking on.
def server = dev.pbstoolchain.testing.LoopbackServer.serve(release.toPath())
try {
  def apt = new dev.pbstoolchain.testing.AptJudge(new File(basedir, "target/apt-client").toPath(),
      "deb [signed-by=${key.path}] ${server.baseUrl()}/apt/ stable main".toString())
  def update = apt.aptGet("update")
  assert update.code() == 0 && !update.out().contains("W:") && !update.out().contains("E:") : update.out()
  // The example needs the system's libc: download (hash checked against the signed index) and
  // unpack it rather than resolve Debian in a scratch root.
  apt.aptGet("download", "embedded-app").ok()
  def fetched = new File(basedir, "target/apt-client/embedded-app_1.2.0-1_amd64.deb")
  assert java.util.Arrays.equals(fetched.bytes, new File(dist, fetched.name).bytes)
  def aptRoot = new File(basedir, "target/run-apt")
  run(["dpkg", "-x", fetched.path, aptRoot.path])
  assert run([new File(aptRoot, "usr/bin/embedded-app").path]).contains("plugin: python 3.11")
  def dnf = new dev.pbstoolchain.testing.DnfJudge(new File(basedir, "target/dnf-client").toPath(),
      "${server.baseUrl()}/yum/".toString(), "${server.baseUrl()}/KEY.asc".toString())
  def query = dnf.dnf("repoquery", "--location", "embedded-app.x86_64").ok().out()
  assert query.contains("/yum/embedded-app-1.2.0-1.x86_64.rpm") : query
} finally {
  server.close()
}
assert log.contains("built target/native/x86_64-unknown-linux-gnu for x86_64-unknown-linux-gnu against -L")
assert log.contains("PYO3_CONFIG_FILE=")
// The example's build.sh links the exe without a link time, so pbs:patch has nothing to warn of.
assert log.contains("x86_64-pc-windows-msvc: staged")
assert !log.contains("carries its link time") : log
// Both Linux rows ship _dbm (Sleepycat): each warning names the target whose licence data it read.
assert log.contains("[WARNING] x86_64-unknown-linux-gnu: bdb (Sleepycat), pulled in by _dbm")
assert log.contains("[WARNING] aarch64-unknown-linux-gnu: bdb (Sleepycat), pulled in by _dbm")

def tgz = new File(dist, "embedded-app-1.2.0_linux_amd64.tar.gz")
def deb = new File(dist, "embedded-app_1.2.0-1_amd64.deb")
def rpm = new File(dist, "embedded-app-1.2.0-1.x86_64.rpm")
[tgz, deb, rpm].each { assert it.isFile() : "${it} missing" }
[tgz, deb, rpm].each { assert new File(it.path + ".sha256").isFile() }
assert new File(dist, "SHA256SUMS").text.contains(tgz.name)
assert new File(dist, "embedded-app-1.2.0_linux_amd64.cdx.json").text.contains('"bomFormat" : "CycloneDX"')

// tar.gz, unpacked elsewhere with --strip-components=1
def tarDir = new File(basedir, "target/run-tar"); tarDir.mkdirs()
run(["tar", "-xzf", tgz.path, "-C", tarDir.path, "--strip-components=1"])
def out = run([new File(tarDir, "embedded-app").path])
assert out.contains("libpython=${tarDir.path}/python/lib/libpython3.11.so.1.0") : out
assert out.contains("plugin: python 3.11") : out
assert new File(tarDir, "python/LICENSE.md").text.contains("| CPython | Python-2.0 AND CNRI-Python | core |")

// deb, unpacked into a scratch root
def debRoot = new File(basedir, "target/run-deb")
run(["dpkg", "-x", deb.path, debRoot.path])
out = run([new File(debRoot, "usr/bin/embedded-app").path])
assert out.contains("/usr/bin/../lib/embedded-app/python/lib/libpython3.11.so.1.0") : out
assert out.contains("plugin: python 3.11") : out
// System libraries the bundled Python needs became Depends (Debian's lib-dynload needs several).
def depends = run(["dpkg-deb", "-f", deb.path, "Depends"])
assert log.contains("[WARNING] x86_64-unknown-linux-gnu: the bundled Python needs lib") : log
if (log.contains("needs libcrypt.so.1 from the system")) {
  assert depends.contains("libcrypt1") : depends
}
if (log.contains("needs libbz2.so.1.0 from the system")) {
  assert depends.contains("libbz2-1.0") : depends
  assert run(["rpm", "--dbpath", rpmdb.path, "-qpR", rpm.path]).contains("libbz2.so.1.0()(64bit)")
}

// rpm: signature/digests, then a real install into a scratch root
// (signed: checked with the release key imported, as users do)
def checkedRpm = run(["rpm", "--dbpath", rpmdb.path, "-Kv", rpm.path])
assert checkedRpm.contains("Header SHA256 digest: OK") : checkedRpm
assert checkedRpm.contains("Header V4 EdDSA/SHA512 Signature, key ID") : checkedRpm
def rpmRoot = new File(basedir, "target/run-rpm")
run(["rpm", "--root", rpmRoot.path, "--initdb"])
run(["rpm", "--root", rpmRoot.path, "-i", "--nodeps", "--noscripts", rpm.path])
out = run([new File(rpmRoot, "usr/bin/embedded-app").path])
assert out.contains("plugin: python 3.11") : out

// matrix.yaml's packaging block: unit, conffile, state directory, script, relations
assert run(["dpkg-deb", "-f", deb.path, "Section"]).trim() == "net"
assert run(["dpkg-deb", "-f", deb.path, "Recommends"]).trim() == "ca-certificates"
def debCtrl = new File(basedir, "target/deb-control")
run(["dpkg-deb", "-e", deb.path, debCtrl.path])
assert new File(debCtrl, "conffiles").text == "/etc/embedded-app/embedded-app.conf\n"
assert new File(debCtrl, "postinst").text.contains("mkdir -p /var/lib/embedded-app/plugins")
def debFiles = run(["dpkg-deb", "-c", deb.path])
assert debFiles =~ /-rw-r----- root\/root .* \.\/etc\/embedded-app\/embedded-app\.conf/ : debFiles
assert debFiles =~ /drwxr-x--- root\/root .* \.\/var\/lib\/embedded-app\// : debFiles
assert debFiles.contains("./lib/systemd/system/embedded-app.service")
assert run(["rpm", "--dbpath", rpmdb.path, "-qpc", rpm.path]) == "/etc/embedded-app/embedded-app.conf\n"
assert run(["rpm", "--dbpath", rpmdb.path, "-qp", "--scripts", rpm.path]).contains("postinstall scriptlet (using /bin/sh)")
assert run(["rpm", "--dbpath", rpmdb.path, "-qp", "--qf", "%{VENDOR}", rpm.path]) == "pbs-toolchain"
assert new File(rpmRoot, "etc/embedded-app/embedded-app.conf").isFile()

// Linux arm64 (stand-in libpython): runs under qemu from the tar.gz and the deb and rpm layouts,
// found through the RUNPATH alone
def armTgz = new File(dist, "embedded-app-1.2.0_linux_arm64.tar.gz")
def armDeb = new File(dist, "embedded-app_1.2.0-1_arm64.deb")
def armRpm = new File(dist, "embedded-app-1.2.0-1.aarch64.rpm")
[armTgz, armDeb, armRpm].each { assert it.isFile() : "${it} missing" }
def qemu = { File exe -> run(["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu", exe.path]) }
def armDir = new File(basedir, "target/run-arm-tar"); armDir.mkdirs()
run(["tar", "-xzf", armTgz.path, "-C", armDir.path, "--strip-components=1"])
out = qemu(new File(armDir, "embedded-app"))
assert out.contains("python 3.11.10 (test stand-in)") : out
def dynamic = run(["readelf", "-d", new File(armDir, "embedded-app").path])
assert dynamic.contains('Library runpath: [$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib]') : dynamic
assert run(["dpkg-deb", "-f", armDeb.path, "Architecture"]).trim() == "arm64"
def armDebRoot = new File(basedir, "target/run-arm-deb")
run(["dpkg", "-x", armDeb.path, armDebRoot.path])
assert qemu(new File(armDebRoot, "usr/bin/embedded-app")).contains("test stand-in")
assert run(["rpm", "--dbpath", rpmdb.path, "-qp", "--qf", "%{ARCH}", armRpm.path]) == "aarch64"
// The arm64 row changed one key of the packaging block: xz instead of gzip, the rest kept.
assert run(["ar", "t", armDeb.path]).contains("data.tar.xz")
assert run(["rpm", "--dbpath", rpmdb.path, "-qp", "--qf", "%{PAYLOADCOMPRESSOR}", armRpm.path]) == "xz"
assert run(["rpm", "--dbpath", rpmdb.path, "-qpc", armRpm.path]) == "/etc/embedded-app/embedded-app.conf\n"
def armRpmRoot = new File(basedir, "target/run-arm-rpm")
run(["rpm", "--root", armRpmRoot.path, "--initdb"])
run(["rpm", "--root", armRpmRoot.path, "-i", "--nodeps", "--noscripts", "--ignorearch", armRpm.path])
assert qemu(new File(armRpmRoot, "usr/bin/embedded-app")).contains("test stand-in")

// macOS: libpython repointed beside the binary, ad-hoc signed (judged by llvm-otool and lipo)
def mac = new File(dist, "embedded-app-1.2.0_darwin_arm64.tar.gz")
def macDir = new File(basedir, "target/run-mac"); macDir.mkdirs()
run(["tar", "-xzf", mac.path, "-C", macDir.path, "--strip-components=1"])
def libs = run(["llvm-otool-16", "-L", new File(macDir, "embedded-app").path])
assert libs.contains("@executable_path/python/lib/libpython3.11.dylib") : libs
assert new File(macDir, "python/lib/libpython3.11.dylib").isFile()
assert run(["llvm-otool-16", "-l", new File(macDir, "embedded-app").path]).contains("LC_CODE_SIGNATURE")
// Case-insensitive APFS: the terminfo link that would point at itself is gone, its file stays.
def macListing = run(["tar", "-tzf", mac.path])
assert macListing.lines().findAll { it.toLowerCase().endsWith("share/terminfo/n/ncr260") }.size() == 1 : macListing

// Windows: the Python DLLs beside the exe, and in python/
def zip = new File(dist, "embedded-app-1.2.0-windows-amd64.zip")  // names.zip in matrix.yaml
def listing = run(["unzip", "-l", zip.path])
["embedded-app.exe", "python311.dll", "python3.dll", "vcruntime140.dll", "python/python311.dll", "python/LICENSE.md"].each {
  assert listing.contains(" " + it) : "${it} not in ${listing}"
}
// ... and the exe runs from the unpacked zip under Wine: Windows' loader looks for python311.dll
// beside the exe (there is no rpath), so this fails if the copies are missing.
def zipDir = new File(basedir, "target/run-zip")
run(["unzip", "-q", zip.path, "-d", zipDir.path])
def winOut = run(["env", "WINEPREFIX=" + new File(basedir, "target/wine").path, "WINEDEBUG=-all",
    "/usr/lib/wine/wine64", new File(zipDir, "embedded-app.exe").path])
assert winOut.contains("python 3.11.10 (test stand-in)") : winOut

// pbs:verify ran and wrote its report
def report = new File(dist, "verify-report.json").text
assert report.contains("loader finds the bundled libpython")
assert !report.contains('"passed" : false')

// ... with a smoke run of every artifact this host can run, each isolated from its Pythons: the
// x86_64 ones natively (Debian's CPython, so hiding /usr/lib/python3.11 is what proves the
// program found its own stdlib), the arm64 ones under qemu with the cross libc, the zip under Wine.
def runs = new groovy.json.JsonSlurper().parse(new File(dist, "verify-report.json")).smokeRuns
def byName = runs.collectEntries { [it.artifact, it] }
[tgz, deb, rpm].each {
  def r = byName[it.name]
  assert r.outcome == "passed" && r.isolated && r.runner == "native x86_64" : r
  assert r.isolation.contains("/usr/lib/python3.11") : r
  assert r.output.contains("plugin: python 3.11") : r
}
assert byName[tgz.name].libpython == "embedded-app-1.2.0/python/lib/libpython3.11.so.1.0"
assert byName[deb.name].libpython == "usr/lib/embedded-app/python/lib/libpython3.11.so.1.0"
[armTgz, armDeb, armRpm].each {
  def r = byName[it.name]
  assert r.outcome == "passed" && r.isolated : r
  assert r.runner == "qemu-aarch64-static -L /usr/aarch64-linux-gnu" : r
  assert r.output.contains("python 3.11.10 (test stand-in)") : r
}
assert byName[zip.name].outcome == "passed" && byName[zip.name].libpython == "python311.dll" : byName[zip.name]
assert byName[mac.name].outcome == "skipped"
assert log =~ /ok    embedded-app_1\.2\.0-1_arm64\.deb: smoke run \(qemu-aarch64-static -L \/usr\/aarch64-linux-gnu, isolated\) \(exit 0 in /
assert log.contains("skip  embedded-app-1.2.0_darwin_arm64.tar.gz: smoke run (macOS programs cannot run on this Linux host)")

// Both packages declare the glibc their ELF files need, as dpkg-shlibdeps and rpm's elfdeps do.
assert depends =~ /(^|, )libc6 \(>= 2\.3\d\)/ : depends
assert run(["dpkg-deb", "-f", armDeb.path, "Depends"]) =~ /(^|, )libc6 \(>= 2\.\d+\)/
def requires = run(["rpm", "-qpR", rpm.path])
assert requires.contains("libc.so.6(GLIBC_2.34)(64bit)") : requires
assert !requires.contains("libpython3.11.so.1.0") : "the bundled libpython is private: " + requires
return true
