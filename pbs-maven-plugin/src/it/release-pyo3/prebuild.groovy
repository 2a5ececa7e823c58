// Publishes a PBS release built from the machine's CPython (install_only with the whole stdlib and
// a full archive with PYTHON.json and the real licence texts) on a loopback server, points
// pbs.mirror at it, and tells cargo to take crates from Debian's packaged registry (no crates.io
// here; .ci/run installs librust-pyo3-dev).
import dev.pbstoolchain.plugin.testing.LocalCPython
import dev.pbstoolchain.plugin.testing.LoopbackServer
import dev.pbstoolchain.plugin.testing.PbsRelease
import java.nio.file.Files

def module = basedir.toPath().resolve("../../..").normalize()
def triple = "x86_64-unknown-linux-gnu"
def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
release.add("cpython-3.11.10+20241016-${triple}-install_only_stripped.tar.gz", LocalCPython.installOnly(true))
release.add("cpython-3.11.10+20241016-${triple}-pgo+lto-full.tar.zst",
    LocalCPython.full(module.resolve("src/test/resources/pbs/PYTHON.${triple}.json"),
        java.nio.file.Path.of(sharedDir, "fixtures/pbs/licenses")))
release.writeSums()
def server = LoopbackServer.serve(release.root())
System.getProperties().put("pbs.it.server." + basedir.name, server)
def mvn = basedir.toPath().resolve(".mvn")
Files.createDirectories(mvn)
Files.writeString(mvn.resolve("maven.config"), "-Dpbs.mirror=" + server.baseUrl() + "\n")

def registry = "/usr/share/cargo/registry"
assert new File(registry, "pyo3-0.17.3").isDirectory() : "${registry}/pyo3-0.17.3 missing: apt-get install librust-pyo3-dev"
def cargo = basedir.toPath().resolve(".cargo")
Files.createDirectories(cargo)
Files.writeString(cargo.resolve("config.toml"), """\
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "${registry}"
[net]
offline = true
""")
return true
