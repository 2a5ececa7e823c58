// A release built on this Debian 12 host needs glibc 2.34, above verify's default floor (2.23).
corruptSums = false
evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))
def nativeDir = new File(basedir, "target/native"); nativeDir.mkdirs()
def source = new File(nativeDir, "app.c")
source.text = '#include <stdio.h>\nconst char *Py_GetVersion(void);\nint main(void) { puts(Py_GetVersion()); return 0; }\n'
def gcc = new ProcessBuilder("gcc", "-O2", "-o", new File(nativeDir, "embedded-app").path, source.path, "-lpython3.11")
    .redirectErrorStream(true).start()
assert gcc.waitFor() == 0 : gcc.inputStream.text
return true
