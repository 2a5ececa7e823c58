// An aarch64 release (PBS-shaped, stand-in libpython built here) on a loopback server, and an
// x86_64 program where the aarch64 row expects its binary: the mistake of issue #19.
import dev.pbstoolchain.testing.NativeFixtures
import dev.pbstoolchain.testing.PbsRelease
import java.nio.file.Files

def module = basedir.toPath().resolve("../../..").normalize()
def sources = module.resolve("../test-support/src/main/c")
def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
release.add("cpython-3.11.10+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz",
    NativeFixtures.linuxArm64(sources, basedir.toPath().resolve("fixture-build")))
release.writeSums()
def nativeDir = basedir.toPath().resolve("target/native/aarch64-unknown-linux-gnu")
Files.createDirectories(nativeDir)
def main = Files.writeString(basedir.toPath().resolve("main.c"), "int main(void) { return 0; }\n")
def gcc = new ProcessBuilder("gcc", "-o", nativeDir.resolve("embedded-app").toString(), main.toString())
    .redirectErrorStream(true).start()
assert gcc.waitFor() == 0 : gcc.inputStream.text
return evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
