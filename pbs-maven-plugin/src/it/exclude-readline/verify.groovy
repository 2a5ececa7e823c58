// readline's module left the shipped tree, its GPL text left LICENSE.md, licenses/ and the SBOM,
// the policy denying GPL-3.0-or-later passed, and the released program still runs Python (and
// cannot import readline). Without the exclude key the same build fails the policy.
def server = System.getProperties().remove("pbs.it.server." + basedir.name)
def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
try {
  def log = new File(basedir, "build.log").text
  assert log.contains("x86_64-unknown-linux-gnu: left out readline (exclude in matrix.yaml): removed" +
      " lib/python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so")
  def tgz = new File(basedir, "target/pbs-dist/embedded-app-1.0.0_linux_amd64.tar.gz")
  def listing = run(["tar", "-tzf", tgz.path])
  assert listing.contains("python/lib/python3.11/lib-dynload/_ssl.")
  assert !listing.contains("readline")
  def unpacked = new File(basedir, "target/run"); unpacked.mkdirs()
  run(["tar", "-xzf", tgz.path, "-C", unpacked.path, "--strip-components=1"])
  def licence = new File(unpacked, "python/LICENSE.md").text
  assert !licence.contains("GPL") && !licence.contains("readline") : licence
  assert !new File(unpacked, "python/licenses/LICENSE.readline.txt").exists()
  def sbom = new File(basedir, "target/pbs-dist/embedded-app-1.0.0_linux_amd64.cdx.json").text
  assert !sbom.contains("readline") && !sbom.contains("GPL")
  def app = new File(unpacked, "embedded-app").path
  assert run([app, "import json, sys; print('ran', sys.version_info[:2])"]).contains("ran (3, 11)")
  def p = new ProcessBuilder(app, "import readline").redirectErrorStream(true).start()
  def out = p.inputStream.text
  assert p.waitFor() != 0 && out.contains("No module named 'readline'") : out
} finally {
  server?.close()
}
return true
