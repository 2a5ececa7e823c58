// Every output of the release reached the file repository (artifacts with the platform
// classifier, the SBOM as <platform>-cyclonedx.json, SHA256SUMS, the verify report), each with an
// .asc that gpg verifies, and each the same bytes as in target/pbs-dist. Without the attachments
// only the POM and the two artifacts are deployed and signed.
import java.nio.file.Files

def server = System.getProperties().remove("pbs.it.server." + basedir.name)
def home = System.getProperties().remove("pbs.it.gnupg." + basedir.name)
def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
try {
  def repo = new File(basedir, "target/repo/dev/pbstoolchain/it/deploy-signed/1.0.0")
  def deployed = repo.listFiles()*.name
      .findAll { !(it =~ /\.(md5|sha1|sha256|sha512|asc)$/) && !it.startsWith("maven-metadata") }.sort()
  assert deployed == [
      "deploy-signed-1.0.0-linux_amd64-cyclonedx.json",
      "deploy-signed-1.0.0-linux_amd64.deb",
      "deploy-signed-1.0.0-linux_amd64.tar.gz",
      "deploy-signed-1.0.0-sha256sums.txt",
      "deploy-signed-1.0.0-verify-report.json",
      "deploy-signed-1.0.0.pom"] : deployed
  deployed.each { name ->
    def out = run(["gpg", "--homedir", home, "--batch", "--verify",
                   new File(repo, name + ".asc").path, new File(repo, name).path])
    assert out.contains("Good signature from \"pbs-toolchain IT <it@pbstoolchain.dev>\"") : out
  }
  def dist = new File(basedir, "target/pbs-dist")
  [
      "deploy-signed-1.0.0-linux_amd64-cyclonedx.json": "embedded-app-1.0.0_linux_amd64.cdx.json",
      "deploy-signed-1.0.0-linux_amd64.tar.gz": "embedded-app-1.0.0_linux_amd64.tar.gz",
      "deploy-signed-1.0.0-linux_amd64.deb": "embedded-app_1.0.0-1_amd64.deb",
      "deploy-signed-1.0.0-sha256sums.txt": "SHA256SUMS",
      "deploy-signed-1.0.0-verify-report.json": "verify-report.json"
  ].each { name, original ->
    assert Files.mismatch(new File(repo, name).toPath(), new File(dist, original).toPath()) == -1L : name
  }
  // A tampered file no longer verifies.
  def tampered = new File(basedir, "target/tampered.json")
  tampered.text = new File(repo, "deploy-signed-1.0.0-sha256sums.txt").text + " "
  def p = new ProcessBuilder("gpg", "--homedir", home, "--batch", "--verify",
      new File(repo, "deploy-signed-1.0.0-sha256sums.txt.asc").path, tampered.path).redirectErrorStream(true).start()
  def text = p.inputStream.text
  assert p.waitFor() != 0 && text.contains("BAD signature") : text
} finally {
  server?.close()
  if (home != null) {
    new ProcessBuilder("gpgconf", "--homedir", home, "--kill", "all").start().waitFor()
    new File(home).deleteDir()
  }
}
return true
