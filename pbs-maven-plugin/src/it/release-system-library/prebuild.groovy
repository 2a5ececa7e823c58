// This machine's CPython as the PBS release, and an app linking libssl and libcrypto by soname
// (the OpenSSL 3 of libssl3) and libpython3.11 (pbs:patch points it at the bundled one); the
// release ships readline under GPL-3.0-or-later, which the pom's policy denies.
import java.nio.file.Files

def nativeDir = basedir.toPath().resolve("target/native")
Files.createDirectories(nativeDir)
def gcc = new ProcessBuilder("gcc", "-o", nativeDir.resolve("tls-app").toString(),
    new File(basedir, "tls-app.c").path, "-l:libpython3.11.so.1.0", "-l:libssl.so.3", "-l:libcrypto.so.3")
    .redirectErrorStream(true).start()
assert gcc.waitFor() == 0 : gcc.inputStream.text
// readline as a GPL-3.0-or-later shared module, which matrix.yaml's exclude leaves out.
readlineGpl = true
return evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))
