// The image pbs:image built and pushed: the registry holds the layout's index (same digest), both
// platforms pull and run (amd64 chrooted, in podman and in Docker, arm64 through qemu-user)
// loading libpython from /usr/lib/embedded-app/python; a second clean build through pbs-cli gives the same digest and
// pushes nothing new; the registry password never reached the log.
import dev.pbstoolchain.oci.testing.Containers
import dev.pbstoolchain.oci.testing.DockerDaemon
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.LinkOption
import java.security.MessageDigest

def run = evaluate(new File(basedir, "../../../src/it/common/run.groovy"))
def registry = System.getProperties().get("pbs.it.registry." + basedir.name)
try {
  def dist = new File(basedir, "target/pbs-dist")
  def log = new File(basedir, "build.log").text
  def password = new File(basedir, "registry.password").text
  assert !log.contains(password) : "the registry password is in build.log"

  // The layout, the oci-archive (in SHA256SUMS, with its .sha256) and the push
  def layoutIndex = new JsonSlurper().parse(new File(dist, "oci/index.json"))
  def digest = layoutIndex.manifests[0].digest
  assert layoutIndex.manifests*.annotations*.get("org.opencontainers.image.ref.name").sort() == ["1.2.0", "latest"]
  def archive = new File(dist, "embedded-app-1.2.0_oci.tar")
  def sha = MessageDigest.getInstance("SHA-256").digest(archive.bytes).encodeHex().toString()
  assert new File(dist, "SHA256SUMS").text.contains(sha + "  " + archive.name)
  assert new File(dist, archive.name + ".sha256").text == sha + "  " + archive.name + "\n"
  def repository = "${registry.address()}/acme/embedded-app"
  assert log.contains("Pushed ${repository}@${digest}") : log

  // What the registry holds is the layout's index, byte for byte (its digest is the content's)
  def creds = "--creds=pusher:" + password
  def raw = run(["skopeo", "inspect", "--raw", "--tls-verify=false", creds, "docker://${repository}:1.2.0".toString()])
  assert "sha256:" + MessageDigest.getInstance("SHA-256").digest(raw.getBytes("UTF-8")).encodeHex() == digest
  def index = new JsonSlurper().parseText(raw)
  assert index.manifests*.platform*.architecture == ["amd64", "arm64"]
  assert index.manifests[1].platform.variant == "v8"
  assert index.annotations["org.opencontainers.image.version"] == "1.2.0"
  assert index.annotations["org.opencontainers.image.created"] == "2026-11-24T00:00:00Z"
  assert index.annotations["org.opencontainers.image.revision"] == "0123456789abcdef0123456789abcdef01234567"
  assert index.annotations["org.opencontainers.image.source"] == "https://pbstoolchain.dev"
  assert index.annotations["org.opencontainers.image.licenses"] == "Apache-2.0"
  def latest = run(["skopeo", "inspect", "--raw", "--tls-verify=false", creds, "docker://${repository}:latest".toString()])
  assert latest == raw
  def config = new JsonSlurper().parseText(run(["skopeo", "inspect", "--config", "--tls-verify=false",
      creds, "--override-arch", "amd64", "docker://${repository}:1.2.0".toString()])).config
  assert config.Entrypoint == ["/usr/bin/embedded-app"]
  assert config.Env.contains("EMBEDDED_APP_HOME=/var/lib/embedded-app")
  assert config.WorkingDir == "/var/lib/embedded-app"
  assert config.ExposedPorts.containsKey("8080/tcp")
  assert config.Volumes.containsKey("/var/lib/embedded-app")
  assert config.Labels["org.example.team"] == "release"

  // Pull the index with both platforms from the registry, then each platform as container tools
  // pick it (skopeo --override-arch) and unpack it (umoci), and run the app inside
  def work = new File(basedir, "target/containers").toPath()
  def pulled = work.resolve("pulled")
  Files.createDirectories(work)
  run(["skopeo", "copy", "--quiet", "--all", "--src-tls-verify=false", "--src-creds=pusher:" + password,
      "docker://${repository}:1.2.0".toString(), "oci:${pulled}:img".toString()])
  def amd64 = Containers.unpack("oci:${pulled}:img", "amd64", work.resolve("amd64")).resolve("rootfs")
  def arm64 = Containers.unpack("oci:${pulled}:img", "arm64", work.resolve("arm64")).resolve("rootfs")
  def out = Containers.run(amd64, "amd64", "/usr/bin/embedded-app").ok().out()
  assert out.contains("libpython=/usr/bin/../lib/embedded-app/python/lib/libpython3.11.so.1.0") : out
  assert out.contains("plugin: python 3.11") : out
  out = Containers.run(arm64, "arm64", "/usr/bin/embedded-app").ok().out()
  assert out.contains("test stand-in") : out

  // Owners, modes and links as the package declares them
  def stateDir = amd64.resolve("var/lib/embedded-app")
  assert Files.getAttribute(stateDir, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 999
  assert Files.getAttribute(stateDir, "unix:gid", LinkOption.NOFOLLOW_LINKS) == 999
  assert (Files.getAttribute(stateDir, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777) == 0750
  def conf = amd64.resolve("etc/embedded-app/embedded-app.conf")
  assert (Files.getAttribute(conf, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777) == 0640
  assert Files.getAttribute(conf, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0
  def lib = amd64.resolve("usr/lib/embedded-app/python/lib/libpython3.11.so")
  assert Files.isSymbolicLink(lib) && Files.readSymbolicLink(lib).toString() == "libpython3.11.so.1.0"
  def python3 = amd64.resolve("usr/lib/embedded-app/python/bin/python3")
  assert Files.isSymbolicLink(python3) && Files.readSymbolicLink(python3).toString() == "python3.11"
  assert Files.isRegularFile(amd64.resolve("usr/share/doc/embedded-app/copyright"))

  // A second clean build, through pbs-cli from a copy of the sources: the same index digest and
  // oci-archive bytes; pushed again (login from a docker config.json), nothing new is uploaded.
  def cliProject = new File(basedir, "target/cli-project")
  cliProject.mkdirs()
  ["build.sh", "src", "matrix.yaml", "copyright", "packaging"].each {
    run(["cp", "-r", new File(basedir, it).path, cliProject.path])
  }
  def dockerConfig = new File(basedir, "target/docker-config")
  dockerConfig.mkdirs()
  new File(dockerConfig, "config.json").text =
      """{"auths":{"${registry.address()}":{"auth":"${("pusher:" + password).bytes.encodeBase64()}"}}}"""

  // A container engine runs it as users do (README: podman run), from the registry with the login
  // above and from the oci-archive: podman picks the amd64 image of the index itself. Its store is
  // a temporary directory (podman wants a short runroot path), removed after; no network needed.
  // The ulimits are lowered explicitly: podman's defaults raise them, which a CI container without
  // CAP_SYS_RESOURCE refuses.
  def podmanStore = Files.createTempDirectory("pbs-it-podman").toFile()
  try {
    for (image in ["docker://${repository}:1.2.0", "oci-archive:${archive.path}:1.2.0"]) {
      out = run(["podman", "--root", new File(podmanStore, "root").path, "--runroot", new File(podmanStore, "run").path,
          "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
          "run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
          "--tls-verify=false", "--authfile", new File(dockerConfig, "config.json").path, image.toString()])
      assert out.contains("libpython=/usr/bin/../lib/embedded-app/python/lib/libpython3.11.so.1.0") : out
      assert !out.contains(password)
    }
  } finally {
    run(["rm", "-rf", podmanStore.path])
  }

  // And Docker (README: docker run): a Docker Engine of the IT's own pulls from the registry with
  // the same login (127.0.0.1 may use plain HTTP by Docker's default) and runs the amd64 image; the
  // README's route from the archive, skopeo copy to docker-daemon, runs too.
  def engine = DockerDaemon.start(Files.createTempDirectory("pbs-it-docker"))
  try {
    out = engine.docker("--config", dockerConfig.path, "run", "--rm", "${repository}:1.2.0".toString()).ok().out()
    assert out.contains("libpython=/usr/bin/../lib/embedded-app/python/lib/libpython3.11.so.1.0") : out
    assert !out.contains(password)
    run(["skopeo", "copy", "--quiet", "--dest-daemon-host", engine.host(),
        "oci-archive:${archive.path}:1.2.0".toString(), "docker-daemon:embedded-app:1.2.0"])
    out = engine.docker("run", "--rm", "embedded-app:1.2.0").ok().out()
    assert out.contains("libpython=/usr/bin/../lib/embedded-app/python/lib/libpython3.11.so.1.0") : out
  } finally {
    engine.close()
  }

  def mirror = (new File(basedir, ".mvn/maven.config").text =~ /-Dpbs\.mirror=(\S+)/)[0][1]
  def cli = { List<String> args ->
    run(["env", "DOCKER_CONFIG=" + dockerConfig.path, "java", "-jar", cliJar] + args + [
        "--project", cliProject.path, "--mirror", mirror,
        "--cache-dir", new File(cliProject, "cache").path, "--app-version", "1.2.0",
        "--output-timestamp", "2026-11-24T00:00:00Z", "--max-glibc", "2.36",
        "--image-revision", "0123456789abcdef0123456789abcdef01234567"])
  }
  cli(["prepare"])
  run(["bash", "-c", "cd '${cliProject.path}' && bash build.sh".toString()])
  def released = cli(["patch", "package", "image", "--image-push"])
  def cliDist = new File(cliProject, "target/pbs-dist")
  assert new JsonSlurper().parse(new File(cliDist, "oci/index.json")).manifests[0].digest == digest
  assert java.util.Arrays.equals(new File(cliDist, archive.name).bytes, archive.bytes) : "pbs-cli wrote another oci-archive"
  assert released.contains("Pushed ${repository}@${digest}") : released
  assert released.contains("0 blobs uploaded") : released
  assert !released.contains(password)
  println "release-image: index digest ${digest} (Maven and pbs-cli builds)"
} finally {
  System.getProperties().remove("pbs.it.registry." + basedir.name)?.close()
  System.getProperties().remove("pbs.it.server." + basedir.name)?.close()
}
return true
