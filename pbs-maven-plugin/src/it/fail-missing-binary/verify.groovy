System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("target/native/embedded-app does not exist: build the app for x86_64-unknown-linux-gnu first (matrix.yaml binary:), or fix the path")
return true
