System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("Release verification failed (details in ")
assert log =~ /FAIL  embedded-app-1\.0\.0_linux_amd64\.tar\.gz: glibc floor <= 2\.23 \(needs GLIBC_2\.3\d: older systems cannot run it\. .*-Dpbs\.maxGlibc=2\.3\d\)/
// Only the floor fails: the loader still finds the bundled libpython through the RUNPATH.
assert log.contains("ok    embedded-app-1.0.0_linux_amd64.tar.gz: loader finds the bundled libpython")
def report = new File(basedir, "target/pbs-dist/verify-report.json")
assert report.isFile()
assert report.text.contains('"passed" : false') || report.text.contains('"passed":false')
// The artifact stays for inspection; verify judged it, it did not delete it.
assert new File(basedir, "target/pbs-dist/embedded-app-1.0.0_linux_amd64.tar.gz").isFile()
return true
