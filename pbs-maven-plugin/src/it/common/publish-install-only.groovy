// Shared by the fetch ITs: publishes a PBS-shaped release built from the machine's CPython
// (install_only for x86_64 and aarch64 Linux, a handful of stdlib modules) on a loopback server
// and points pbs.mirror at it for this build (the forked Maven reads .mvn/maven.config).
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.PbsRelease

def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"].each { triple ->
  release.add("cpython-3.11.10+20241016-${triple}-install_only_stripped.tar.gz",
      LocalCPython.installOnly(false))
}
release.writeSums()
return evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
