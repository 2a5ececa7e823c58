def servers = System.getProperties().remove("pbs.it.server." + basedir.name)
def basicAuthorization = servers[0].lastAuthorization("/20241016/SHA256SUMS")
def bearerAuthorization = servers[1].lastAuthorization("/20241016/SHA256SUMS")
servers.each { it.close() }
def log = new File(basedir, "build.log").text
def home = { dir -> basedir.toPath().resolve("target/${dir}/x86_64-unknown-linux-gnu/python") }
// Both mirrors answered: the decrypted password went as Basic, the decrypted token as Bearer.
assert java.nio.file.Files.isRegularFile(home("pbs-basic").resolve("lib/libpython3.11.so.1.0"))
assert java.nio.file.Files.isRegularFile(home("pbs-bearer").resolve("lib/libpython3.11.so.1.0"))
assert basicAuthorization == "Basic " + "ci-user:Basic-Secret-7f3a".bytes.encodeBase64().toString()
assert bearerAuthorization == "Bearer Bearer-Token-91c2"
// -X printed the goals' parameters (so this log is the one to search) ...
assert log.contains("(f) serverId = pbs-token")
// ... and no secret, in clear, Base64 or Basic form.
["Basic-Secret-7f3a", "Bearer-Token-91c2",
 "ci-user:Basic-Secret-7f3a".bytes.encodeBase64().toString()].each { secret ->
  assert !log.contains(secret) : "the build log shows a secret"
}
return true
