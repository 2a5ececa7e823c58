System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
def matrix = new File(basedir, "matrix.yaml").canonicalPath
assert log.contains("${matrix}:6:23: targets[0].formats has unknown format 'dmg'; valid: deb, rpm, tar.gz, zip.")
return true
