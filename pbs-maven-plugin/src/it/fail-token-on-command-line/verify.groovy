System.getProperties().remove("pbs.it.server." + basedir.name).each { it.close() }
def log = new File(basedir, "build.log").text
assert log.contains("pbs.token puts the token on the command line, where process lists and CI logs"
    + " of the command show it: keep it in settings.xml instead, as the <password> of a <server>"
    + " with id 'pbs-mirror' (pbs.serverId)")
assert log =~ /HTTP 401 \(Unauthorized\) from http:\/\/127\.0\.0\.1:\d+\/20241016\/SHA256SUMS: the server refused the token of -Dpbs\.token\./
assert !log.contains("Wrong-Token-5e1d") : "the build log shows the token"
return true
