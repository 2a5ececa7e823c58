// Shared by the ITs' prebuild scripts: returns a closure that serves a PbsRelease on a loopback
// server (verify.groovy closes it) and points this build's pbs.mirror at it through
// .mvn/maven.config, which the forked Maven reads.
import dev.pbstoolchain.testing.LoopbackServer
import java.nio.file.Files

return { release ->
  def server = LoopbackServer.serve(release.root())
  System.getProperties().put("pbs.it.server." + basedir.name, server)
  def mvn = basedir.toPath().resolve(".mvn")
  Files.createDirectories(mvn)
  Files.writeString(mvn.resolve("maven.config"), "-Dpbs.mirror=" + server.baseUrl() + "\n")
  true
}
