System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("SHA-256 mismatch for http://127.0.0.1:")
assert log.contains("expected: " + "0" * 64 + " (from http://127.0.0.1:")
assert log.contains("The file was discarded: nothing was cached or unpacked.")
assert !new File(basedir, "target/pbs/x86_64-unknown-linux-gnu").exists()
def cache = new File(basedir, "target/pbs-cache")
assert !cache.exists() || !cache.listFiles().any { it.name.contains("cpython-") }
return true
