// Publishes a PBS release built from the machine's CPython with the whole stdlib
// (common/publish.groovy), and tells cargo to take crates from Debian's packaged registry (no
// crates.io here; .ci/run installs librust-pyo3-dev).
import java.nio.file.Files

fullStdlib = true
evaluate(new File(basedir, "../../../src/it/common/publish.groovy"))

def registry = "/usr/share/cargo/registry"
assert new File(registry, "pyo3-0.17.3").isDirectory() : "${registry}/pyo3-0.17.3 missing: apt-get install librust-pyo3-dev"
def cargo = basedir.toPath().resolve(".cargo")
Files.createDirectories(cargo)
Files.writeString(cargo.resolve("config.toml"), """\
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "${registry}"
[net]
offline = true
""")
return true
