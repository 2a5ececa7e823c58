// Publishes a PBS release built from the machine's CPython (install_only with the whole stdlib,
// and a full archive with PYTHON.json and the real licence texts) on a loopback server, and
// points pbs.mirror at it for this build.
import dev.pbstoolchain.plugin.testing.LocalCPython
import dev.pbstoolchain.plugin.testing.LoopbackServer
import dev.pbstoolchain.plugin.testing.PbsRelease
import java.nio.file.Files

def module = basedir.toPath().resolve("../../..").normalize()
def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
def triple = "x86_64-unknown-linux-gnu"
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
return true
