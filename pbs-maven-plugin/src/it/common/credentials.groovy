// Shared by the credential ITs: publishes a small PBS release and returns a closure that serves it
// on a loopback server demanding the given Authorization header, and points this build at the
// servers.xml (<server> entries, passwords encrypted with the master password of
// settings-security.xml) and the mirror URLs through .mvn/maven.config. verify.groovy closes the
// servers (a list under the system property "pbs.it.server.<it name>").
//
// The encrypted values were made with Maven 3.9.9 itself:
//   mvn --encrypt-master-password it-master-password
//   mvn -Dsettings.security=settings-security.xml --encrypt-password Basic-Secret-7f3a
//   mvn -Dsettings.security=settings-security.xml --encrypt-password Bearer-Token-91c2
import dev.pbstoolchain.testing.LocalCPython
import dev.pbstoolchain.testing.LoopbackServer
import dev.pbstoolchain.testing.PbsRelease
import java.nio.file.Files

def release = new PbsRelease(basedir.toPath().resolve("release"), "20241016")
release.add("cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz",
    LocalCPython.installOnly(false))
release.writeSums()
def common = basedir.toPath().resolve("../../../src/it/common").normalize()
return { Map<String, String> authorizations, List<String> extraConfig ->
  def servers = []
  def config = new StringBuilder()
  // Maven 3.9 reads maven.config one argument per line: the option and its value on two.
  config.append("-gs\n").append(common.resolve("servers.xml")).append("\n")
  config.append("-Dsettings.security=").append(common.resolve("settings-security.xml")).append("\n")
  authorizations.each { name, authorization ->
    def server = LoopbackServer.serve(release.root())
    server.requireAuthorization(authorization, authorization.split(" ")[0] + " realm=\"pbs\"")
    servers << server
    config.append("-Dit.").append(name).append("=").append(server.baseUrl()).append("\n")
  }
  extraConfig.each { config.append(it).append("\n") }
  System.getProperties().put("pbs.it.server." + basedir.name, servers)
  def mvn = basedir.toPath().resolve(".mvn")
  Files.createDirectories(mvn)
  Files.writeString(mvn.resolve("maven.config"), config.toString())
  true
}
