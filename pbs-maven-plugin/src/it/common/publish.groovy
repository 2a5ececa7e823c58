// Shared by the failure ITs and release-pyo3: publishes a PBS release for x86_64 Linux
// (install_only and full) on a loopback server and points pbs.mirror at it. In the binding:
// `corruptSums = true` publishes a SHA256SUMS whose hash for the install_only archive is wrong;
// `fullStdlib = true` ships the whole standard library (to run the embedded Python), not a handful
// of modules; `readlineGpl = true` adds readline as a shared module under GPL-3.0-or-later (the
// host's lib-dynload readline in both archives, PYTHON.json naming it, the GPL text among the
// licences), for matrix.yaml's exclude.
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.PbsRelease
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path

def module = basedir.toPath().resolve("../../..").normalize()
def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
def triple = "x86_64-unknown-linux-gnu"
def asset = "cpython-3.11.10+20241016-${triple}-install_only_stripped.tar.gz"
def installOnly = LocalCPython.installOnly(binding.hasVariable("fullStdlib") && fullStdlib)
def json = module.resolve("../test-support/src/main/resources/pbs/PYTHON.${triple}.json")
def licenses = Path.of(sharedDir, "fixtures/pbs/licenses")
def readline = null
if (binding.hasVariable("readlineGpl") && readlineGpl) {
  readline = "lib/python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so"
  def doc = new JsonSlurper().parse(json.toFile())
  doc.build_info.extensions.readline = [[
      in_core: false, init_fn: "PyInit_readline", variant: "readline", required: false, objs: [],
      static_lib: null, shared_lib: "install/" + readline,
      licenses: ["GPL-3.0-or-later"], license_paths: ["licenses/LICENSE.readline.txt"],
      license_public_domain: false, links: [[name: "readline", system: true]]]]
  def work = Files.createDirectories(basedir.toPath().resolve("fixture"))
  json = Files.writeString(work.resolve("PYTHON.json"), JsonOutput.toJson(doc))
  def copies = Files.createDirectories(work.resolve("licenses"))
  Files.list(licenses).toList().each { Files.copy(it, copies.resolve(it.fileName)) }
  Files.copy(Path.of("/usr/share/common-licenses/GPL-3"), copies.resolve("LICENSE.readline.txt"))
  licenses = copies
  installOnly.file("python/" + readline, LocalCPython.STDLIB.resolve("lib-dynload/readline.cpython-311-x86_64-linux-gnu.so"), 0755)
}
release.add(asset, installOnly)
def full = LocalCPython.full(json, licenses)
if (readline != null) {
  full.file("python/install/" + readline, LocalCPython.STDLIB.resolve("lib-dynload/readline.cpython-311-x86_64-linux-gnu.so"), 0755)
}
release.add("cpython-3.11.10+20241016-${triple}-pgo+lto-full.tar.zst", full)
def sums = release.writeSums()
if (binding.hasVariable("corruptSums") && corruptSums) {
  Files.writeString(sums, Files.readString(sums).replaceAll(/(?m)^[0-9a-f]{64}(  \Q${asset}\E)/, "0" * 64 + '$1'))
}
return evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
