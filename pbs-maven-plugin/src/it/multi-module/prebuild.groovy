// Publishes the x86_64 Linux PBS build on a loopback server (pbs.mirror for the whole reactor via
// .mvn/maven.config) and links each app's program against the host's libpython.
corruptSums = false
evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))
["app-one", "app-two"].each { app ->
  def nativeDir = new File(basedir, "${app}/target/native"); nativeDir.mkdirs()
  def source = new File(nativeDir, "app.c")
  source.text = '#include <stdio.h>\nconst char *Py_GetVersion(void);\n' +
      "int main(void) { printf(\"${app} %s\\n\", Py_GetVersion()); return 0; }\n"
  def gcc = new ProcessBuilder("gcc", "-O2", "-o", new File(nativeDir, app).path, source.path, "-lpython3.11")
      .redirectErrorStream(true).start()
  assert gcc.waitFor() == 0 : gcc.inputStream.text
}
return true
