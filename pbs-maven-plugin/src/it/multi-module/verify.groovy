// The parent and the plain module release nothing: each says so in one info line and writes no
// pbs directory; the two apps release in parallel from one shared cache, which downloads each PBS
// archive once. Without the rule the parent's pbs:fetch fails ("Set pbs.date ...").
def server = System.getProperties().remove("pbs.it.server." + basedir.name)
try {
  def log = new File(basedir, "build.log").text
  assert log.contains("BUILD SUCCESS")
  assert log.contains("with a thread count of 2")
  def skips = log.readLines().findAll { it.contains("this project releases nothing") }
  assert skips.size() == 2 : skips.join("\n")
  ["", "plain/"].each { dir ->
    def matrix = new File(basedir, dir + "matrix.yaml").canonicalPath
    assert skips.any {
      it == "[INFO] Skipping pbs:fetch and the other pbs goals: this project releases nothing: it has no" +
          " ${matrix} and no -Dpbs.date (add a matrix.yaml, or point pbs.matrix at one, to release it)"
    } : "no skip line for '${dir}': " + skips.join("\n")
    ["pbs", "pbs-stage", "pbs-dist"].each { assert !new File(basedir, dir + "target/" + it).exists() }
  }
  assert new File(basedir, "plain/target/plain-1.0.0.jar").isFile()
  def asset = "cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
  assert server.requestCount("/20241016/" + asset) == 1
  ["app-one", "app-two"].each { app ->
    def tarball = new File(basedir, "${app}/target/pbs-dist/${app}-1.0.0_linux_amd64.tar.gz")
    assert tarball.isFile()
    def unpacked = new File(basedir, "${app}/target/unpacked"); unpacked.mkdirs()
    def tar = new ProcessBuilder("tar", "-xzf", tarball.path, "-C", unpacked.path, "--strip-components=1")
        .redirectErrorStream(true).start()
    assert tar.waitFor() == 0 : tar.inputStream.text
    def program = new File(unpacked, app)
    // The released program runs, with the bundled libpython (RUNPATH), not the host's.
    def ldd = new ProcessBuilder("ldd", program.path).redirectErrorStream(true).start()
    def libs = ldd.inputStream.text
    assert ldd.waitFor() == 0 : libs
    assert libs.contains(new File(unpacked, "python/lib/libpython3.11.so").canonicalPath) : libs
    def run = new ProcessBuilder(program.path).redirectErrorStream(true).start()
    def out = run.inputStream.text
    assert run.waitFor() == 0 : out
    assert out.startsWith("${app} 3.11") : out
  }
} finally {
  server?.close()
}
return true
