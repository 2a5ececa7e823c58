// Publishes a PBS release built from the machine's CPython (install_only with the whole stdlib,
// and a full archive with PYTHON.json and the real licence texts) on a loopback server, and
// points pbs.mirror at it for this build.
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.PbsRelease
import java.nio.file.Files

def module = basedir.toPath().resolve("../../..").normalize()
// The example's own program and native build script: this IT releases what the example releases.
def example = module.resolve("../examples/embedded-app")
Files.createDirectories(basedir.toPath().resolve("src/main/c"))
Files.copy(example.resolve("build.sh"), basedir.toPath().resolve("build.sh"),
    java.nio.file.StandardCopyOption.REPLACE_EXISTING)
["embedded-app.c", "macos-libsystem-stub.c"].each {
  Files.copy(example.resolve("src/main/c/" + it), basedir.toPath().resolve("src/main/c/" + it),
      java.nio.file.StandardCopyOption.REPLACE_EXISTING)
}
def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
def triple = "x86_64-unknown-linux-gnu"
release.add("cpython-3.11.10+20241016-${triple}-install_only_stripped.tar.gz", LocalCPython.installOnly(true))
release.add("cpython-3.11.10+20241016-${triple}-pgo+lto-full.tar.zst",
    LocalCPython.full(module.resolve("../test-support/src/main/resources/pbs/PYTHON.${triple}.json"),
        java.nio.file.Path.of(sharedDir, "fixtures/pbs/licenses")))
// The Linux arm64, macOS and Windows rows: PBS-shaped trees with stand-in libraries built here.
def sources = module.resolve("../test-support/src/main/c")
def work = basedir.toPath().resolve("fixture-build")
["aarch64-unknown-linux-gnu": dev.pbstoolchain.testing.NativeFixtures.linuxArm64(sources, work.resolve("linux-arm64")),
 "aarch64-apple-darwin": dev.pbstoolchain.testing.NativeFixtures.darwin(sources, work.resolve("darwin")),
 "x86_64-pc-windows-msvc": dev.pbstoolchain.testing.NativeFixtures.windows(sources, work.resolve("windows"))
].each { t, tree ->
  release.add("cpython-3.11.10+20241016-${t}-install_only_stripped.tar.gz", tree)
  // Real PBS names: Windows full archives of this release are "shared-pgo-full".
  def full = t.contains("windows") ? "pgo-full" : "pgo+lto-full"
  release.add(new dev.pbstoolchain.core.fetch.ReleaseAsset("20241016", "3.11.10", t, full).fileName(),
      LocalCPython.full(module.resolve("../test-support/src/main/resources/pbs/PYTHON.${t}.json"),
          java.nio.file.Path.of(sharedDir, "fixtures/pbs/licenses")))
}
release.writeSums()
// The release's signing key (Ed25519, protected): pbs.signing.keyFile in pom.xml.
def gpg = new dev.pbstoolchain.testing.Gpg(basedir.toPath().resolve("target/gnupg"))
def fingerprint = gpg.generate("Embedded App Release <release@example.com>", "ed25519", "sign",
    "2y", dev.pbstoolchain.testing.Gpg.PASSPHRASE)
gpg.exportSecret(fingerprint, dev.pbstoolchain.testing.Gpg.PASSPHRASE,
    basedir.toPath().resolve("signing-key.asc"))
gpg.close()
return evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
