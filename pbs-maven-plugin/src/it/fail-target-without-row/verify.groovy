// -Dpbs.targets names a triple matrix.yaml has no row for: the build stops before any download,
// listing the rows (the mirror saw no request at all).
def server = System.getProperties().remove("pbs.it.server." + basedir.name)
try {
  def log = new File(basedir, "build.log").text
  def matrix = new File(basedir, "matrix.yaml").canonicalPath
  assert log.contains("-Dpbs.targets=aarch64-apple-darwin: aarch64-apple-darwin has no row in ${matrix}, whose rows are x86_64-unknown-linux-gnu (line 4). Add a row, or"
      + " choose among them.")
  assert server.requestCount("/20241016/SHA256SUMS") == 0
  assert !new File(basedir, "target/pbs").exists()
} finally {
  server?.close()
}
return true
