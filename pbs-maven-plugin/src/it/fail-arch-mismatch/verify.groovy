// pbs:patch refuses the x86-64 program in the aarch64 row, naming the file, what it is, what the
// row expects and where the row is, before it writes anything.
System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
def binary = new File(basedir, "target/native/aarch64-unknown-linux-gnu/embedded-app").path
assert log.contains(binary + " is ELF 64-bit x86-64, but the aarch64-unknown-linux-gnu row"
    + " (matrix.yaml:4) expects ELF 64-bit ARM aarch64: build the app for"
    + " aarch64-unknown-linux-gnu (cargo build --target aarch64-unknown-linux-gnu, or that"
    + " target's cross compiler) and point binary: of that row at it") : log
assert !new File(basedir, "target/pbs-stage").exists() : "pbs:patch wrote before refusing"
assert !new File(basedir, "target/pbs-dist").exists()
return true
