// A PBS release of the machine's CPython whose PYTHON.json says readline is a shared module
// (Debian's lib-dynload/readline.*.so) linking GNU readline under GPL-3.0-or-later, with the GPL
// text among the licences; and the example's program, linked against the host's libpython.
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.PbsRelease
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.Path

def module = basedir.toPath().resolve("../../..").normalize()
def triple = "x86_64-unknown-linux-gnu"
def so = "lib/python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so"
def json = new JsonSlurper().parse(module.resolve("../test-support/src/main/resources/pbs/PYTHON.${triple}.json").toFile())
json.build_info.extensions.readline = [[
    in_core: false, init_fn: "PyInit_readline", variant: "readline", required: false, objs: [],
    static_lib: null, shared_lib: "install/" + so,
    licenses: ["GPL-3.0-or-later"], license_paths: ["licenses/LICENSE.readline.txt"],
    license_public_domain: false,
    links: [[name: "readline", system: true]]]]
def work = basedir.toPath().resolve("fixture"); Files.createDirectories(work)
def jsonFile = Files.writeString(work.resolve("PYTHON.json"), JsonOutput.toJson(json))
def licenses = Files.createDirectories(work.resolve("licenses"))
Files.list(Path.of(sharedDir, "fixtures/pbs/licenses")).toList().each { Files.copy(it, licenses.resolve(it.fileName)) }
Files.copy(Path.of("/usr/share/common-licenses/GPL-3"), licenses.resolve("LICENSE.readline.txt"))

def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
release.add("cpython-3.11.10+20241016-${triple}-install_only_stripped.tar.gz", LocalCPython.installOnly(true))
release.add("cpython-3.11.10+20241016-${triple}-pgo+lto-full.tar.zst",
    LocalCPython.full(jsonFile, licenses).file("python/install/" + so, LocalCPython.STDLIB.resolve("lib-dynload/readline.cpython-311-x86_64-linux-gnu.so"), 0755))
release.writeSums()

def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
def nativeDir = new File(basedir, "target/native"); nativeDir.mkdirs()
run(["gcc", "-O2", "-I" + LocalCPython.INCLUDE, "-o", new File(nativeDir, "embedded-app").path,
     module.resolve("../examples/embedded-app/src/main/c/embedded-app.c").toString(), "-lpython3.11"])
return evaluate(new File(basedir, "../../../src/it/common/serve.groovy"))(release)
