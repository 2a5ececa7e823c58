// The PyO3-built program, from the tar.gz unpacked elsewhere and from the deb unpacked into a
// scratch root: it must find and load the bundled libpython through the RUNPATH pbs:patch wrote.
System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
def dist = new File(basedir, "target/pbs-dist")
def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
def config = new File(basedir, "target/pbs/x86_64-unknown-linux-gnu/pyo3-config.txt")
assert log.contains("PYO3_CONFIG_FILE=" + config.path)
assert config.text.contains("lib_name=python3.11\n")

// What cargo linked: the fetched tree's libpython by its soname, no search path of the build
// machine; pbs:patch staged a copy that searches the bundle.
def built = run(["readelf", "-d", new File(basedir, "target/cargo/release/plugin-host").path])
assert built.contains("Shared library: [libpython3.11.so.1.0]") : built
assert !built.contains("PATH") : built
def staged = run(["readelf", "-d", new File(basedir, "target/pbs-stage/x86_64-unknown-linux-gnu/plugin-host").path])
assert staged.contains("Library runpath: [\$ORIGIN/python/lib:\$ORIGIN/../lib/plugin-host/python/lib]") : staged

def tgz = new File(dist, "plugin-host-0.3.0_linux_amd64.tar.gz")
def deb = new File(dist, "plugin-host_0.3.0-1_amd64.deb")
[tgz, deb].each { assert it.isFile() : "${it} missing" }

def tarDir = new File(basedir, "target/run-tar"); tarDir.mkdirs()
run(["tar", "-xzf", tgz.path, "-C", tarDir.path, "--strip-components=1"])
def out = run([new File(tarDir, "plugin-host").path])
assert out.contains("libpython=${tarDir.path}/python/lib/libpython3.11.so.1.0") : out
assert out.contains("plugin: python 3.11") : out
assert out.contains("\"prefix\": \"${tarDir.path}/python\"") : out

// pbs:verify ran it from both artifacts with this machine's Python hidden.
def report = new groovy.json.JsonSlurper().parse(new File(dist, "verify-report.json"))
assert report.smokeRuns*.artifact.sort() == [deb.name, tgz.name].sort()
report.smokeRuns.each {
  assert it.outcome == "passed" && it.isolated : it
  assert it.isolation.contains("/usr/lib/python3.11") : it
  assert it.output.contains("plugin: python 3.11") : it
}

def debRoot = new File(basedir, "target/run-deb")
run(["dpkg", "-x", deb.path, debRoot.path])
out = run([new File(debRoot, "usr/bin/plugin-host").path])
assert out.contains("libpython=${debRoot.path}/usr/lib/plugin-host/python/lib/libpython3.11.so.1.0") : out
assert out.contains("plugin: python 3.11") : out
return true
