// exclude: [readline] (checked at the end). Declared system libraries: verify accepts them, the deb depends on their package after what
// dpkg-shlibdeps would write, the rpm requires them as rpm's elfdeps does, and the app runs.
System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
def log = new File(basedir, "build.log").text
def dist = new File(basedir, "target/pbs-dist")
def deb = new File(dist, "tls-app_1.0.0-1_amd64.deb")
def rpm = new File(dist, "tls-app-1.0.0-1.x86_64.rpm")
assert log.contains("ok    tls-app_1.0.0-1_amd64.deb: app needs only bundled, allowed or declared libraries (declared in systemLibraries: libssl.so.3, libcrypto.so.3)") : log
def depends = run(["dpkg-deb", "-f", deb.path, "Depends"]).trim()
assert depends =~ /^(lib[a-z0-9.+-]+, )*libc6 \(>= 2\.3\d\), (lib[a-z0-9.+-]+, )*libssl3(, [a-z0-9.+-]+)*$/ : depends
assert depends.count("libssl3") == 1 : depends
def requires = run(["rpm", "-qpR", rpm.path])
["libssl.so.3()(64bit)", "libssl.so.3(OPENSSL_3.0.0)(64bit)", "libcrypto.so.3()(64bit)",
 "libc.so.6(GLIBC_2.34)(64bit)"].each { assert requires.contains(it) : requires }
def report = new groovy.json.JsonSlurper().parse(new File(dist, "verify-report.json"))
report.smokeRuns.each {
  assert it.outcome == "passed" && it.isolated : it
  assert it.output =~ /tls OpenSSL 3\./ : it
}
assert report.smokeRuns.size() == 3
// exclude: [readline]: the module left the shipped tree of every package, its GPL text left
// LICENSE.md, licenses/ and the SBOM, and the policy denying GPL-3.0-or-later passed.
assert log.contains("x86_64-unknown-linux-gnu: left out readline (exclude in matrix.yaml): removed" +
    " lib/python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so") : log
def tgz = new File(dist, "tls-app-1.0.0_linux_amd64.tar.gz")
[run(["tar", "-tzf", tgz.path]), run(["dpkg-deb", "-c", deb.path]), run(["rpm", "-qlp", rpm.path])].each {
  assert it.contains("python/lib/libpython3.11.so.1.0") && !it.contains("readline") : it
}
def unpacked = new File(basedir, "target/unpacked"); unpacked.mkdirs()
run(["tar", "-xzf", tgz.path, "-C", unpacked.path, "--strip-components=1"])
def licence = new File(unpacked, "python/LICENSE.md").text
// CPython's own licence speaks of "GPL-compatible": look for the GPL text and readline's file.
assert !licence.contains("GNU GENERAL PUBLIC LICENSE") && !licence.contains("LICENSE.readline.txt") : licence
assert !new File(unpacked, "python/licenses/LICENSE.readline.txt").exists()
def sbom = new File(dist, "tls-app-1.0.0_linux_amd64.cdx.json").text
assert !sbom.contains("readline") && !sbom.contains("GPL")
return true
