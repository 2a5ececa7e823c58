import java.nio.file.Files

System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
def log = new File(basedir, "build.log").text
["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"].each { triple ->
  def home = basedir.toPath().resolve("target/pbs/${triple}/python")
  assert Files.isRegularFile(home.resolve("lib/libpython3.11.so.1.0"))
  assert Files.isSymbolicLink(home.resolve("lib/libpython3.11.so"))
  assert Files.isExecutable(home.resolve("bin/python3.11"))
  assert log.contains("pbs.${triple}.home = ${home.toAbsolutePath()}")
}
assert log.contains("Downloading http://127.0.0.1:")
return true
