System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("Licence policy violated for x86_64-unknown-linux-gnu:")
assert log.contains("bdb (Sleepycat), pulled in by _dbm: denied")
assert log.contains("Drop the extension modules named, or change pbs.licenses.deny or pbs.licenses.allow.")
return true
