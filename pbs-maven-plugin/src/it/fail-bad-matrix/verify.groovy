System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
assert log.contains("matrix.yaml:6: targets[0].formats has unknown format 'dmg'; valid: deb, rpm, tar.gz, zip.")
return true
