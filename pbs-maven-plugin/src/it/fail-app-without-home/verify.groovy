// The program runs from its tar.gz only while the build machine's Python is there; pbs:verify hides
// it, so the program fails with its own words, and the release fails with them.
System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("Release verification failed (details in ")
assert log =~ /FAIL  no-home-1\.0\.0_linux_amd64\.tar\.gz: smoke run \(native x86_64, isolated\) \(exited with status 1; its output does not match \/plugin: python\/ \(after [0-9.]+ s; private mount namespace; hidden: [^)]*\/usr\/lib\/python3\.11/ : log
assert log.contains("| Could not find platform independent libraries <prefix>") : log
assert log.contains("| Fatal Python error: ") : log
def report = new groovy.json.JsonSlurper().parse(new File(basedir, "target/pbs-dist/verify-report.json"))
def run = report.smokeRuns.find { it.artifact == "no-home-1.0.0_linux_amd64.tar.gz" }
assert run.outcome == "failed" && run.exitCode == 1 && run.isolated : run
assert run.libpython == "no-home-1.0.0/python/lib/libpython3.11.so.1.0" : run
// Everything else about the artifact is fine: the smoke run alone catches this.
assert report.checks.findAll { !it.passed }*.check == ["smoke run (native x86_64, isolated)"] : report.checks
return true
