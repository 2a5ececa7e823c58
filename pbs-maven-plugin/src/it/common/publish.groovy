// Shared by the failure ITs and release-pyo3: publishes a PBS release for x86_64 Linux
// (install_only and full) on a loopback server and points pbs.mirror at it. In the binding:
// `corruptSums = true` publishes a SHA256SUMS whose hash for the install_only archive is wrong;
// `fullStdlib = true` ships the whole standard library (to run the embedded Python), not a handful
// of modules.
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.PbsRelease
import java.nio.file.Files

def module = basedir.toPath().resolve("../../..").normalize()
def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
def triple = "x86_64-unknown-linux-gnu"
def asset = "cpython-3.11.10+20241016-${triple}-install_only_stripped.tar.gz"
release.add(asset, LocalCPython.installOnly(binding.hasVariable("fullStdlib") && fullStdlib))
release.add("cpython-3.11.10+20241016-${triple}-pgo+lto-full.tar.zst",
    LocalCPython.full(module.resolve("../test-support/src/main/resources/pbs/PYTHON.${triple}.json"),
        java.nio.file.Path.of(sharedDir, "fixtures/pbs/licenses")))
def sums = release.writeSums()
if (binding.hasVariable("corruptSums") && corruptSums) {
  Files.writeString(sums, Files.readString(sums).replaceAll(/(?m)^[0-9a-f]{64}(  \Q${asset}\E)/, "0" * 64 + '$1'))
}
return evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
