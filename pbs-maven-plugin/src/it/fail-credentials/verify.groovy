System.getProperties().remove("pbs.it.server." + basedir.name).each { it.close() }
def log = new File(basedir, "build.log").text
// The 401 names the server id and settings.xml, and never the password (not even with -X).
assert log =~ /HTTP 401 \(Unauthorized\) from http:\/\/127\.0\.0\.1:\d+\/20241016\/SHA256SUMS: the server refused user 'ci-user' of <server> 'pbs-mirror' in settings\.xml \(.*settings\.xml\)\. Check them there \(an encrypted password needs Maven's master password in settings-security\.xml\)\./
["Basic-Secret-7f3a", "ci-user:Basic-Secret-7f3a".bytes.encodeBase64().toString()].each {
  assert !log.contains(it) : "the build log shows the password"
}
assert !new File(basedir, "target/pbs/x86_64-unknown-linux-gnu").exists()
return true
