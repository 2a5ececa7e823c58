// This machine's CPython as the PBS release (its build prefix, /usr, is where an embedded
// interpreter without a home looks), and the program that does not set its home, linked by soname
// against this machine's libpython3.11 (pbs:patch points it at the bundled one).
import java.nio.file.Files

def nativeDir = basedir.toPath().resolve("target/native")
Files.createDirectories(nativeDir)
def gcc = new ProcessBuilder("gcc", "-I/usr/include/python3.11", "-o", nativeDir.resolve("no-home").toString(),
    new File(basedir, "no-home.c").path, "-lpython3.11").redirectErrorStream(true).start()
assert gcc.waitFor() == 0 : gcc.inputStream.text
return evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))
