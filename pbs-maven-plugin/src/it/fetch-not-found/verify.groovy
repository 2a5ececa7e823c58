System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("cpython-3.11.99+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz is not listed in http://127.0.0.1:")
assert log.contains("so it cannot be verified. For x86_64-unknown-linux-gnu this release has CPython 3.11.10. Check pbs.version=3.11.99")
assert !new File(basedir, "target/pbs/x86_64-unknown-linux-gnu").exists()
return true
