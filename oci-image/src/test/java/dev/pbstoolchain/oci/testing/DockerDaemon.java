package dev.pbstoolchain.oci.testing;

import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Docker Engine ({@code dockerd}, Debian's docker.io) of the test's own: data, state and
 * socket in a temp directory, no bridge and no iptables rules (it touches nothing of the host's
 * network), the vfs storage driver (no overlay mounts), stopped by its PID and its directory
 * removed. Needs root, as dockerd does. Registries on 127.0.0.0/8 may use plain HTTP by Docker's
 * default, so it pulls from a loopback {@link DockerRegistry} as is.
 */
public final class DockerDaemon implements AutoCloseable {

  private static final long START_SECONDS = 60;
  private static final long STOP_SECONDS = 30;

  private final Process process;
  private final Path dir;

  private DockerDaemon(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /**
   * Starts dockerd in {@code dir}, which must be short: the socket path inside it is limited to 108
   * bytes.
   */
  public static DockerDaemon start(Path dir) {
    try {
      Files.createDirectories(dir);
      // An empty daemon.json of its own, so a host's /etc/docker/daemon.json cannot clash.
      Path config = Files.writeString(dir.resolve("daemon.json"), "{}\n");
      Path log = dir.resolve("dockerd.log");
      Process process =
          new ProcessBuilder(
                  "dockerd",
                  "--config-file=" + config,
                  "--data-root=" + dir.resolve("root"),
                  "--exec-root=" + dir.resolve("x"),
                  "--pidfile=" + dir.resolve("dockerd.pid"),
                  "--host=unix://" + dir.resolve("s"),
                  "--bridge=none",
                  "--iptables=false",
                  "--ip6tables=false",
                  "--storage-driver=vfs",
                  // Namespaces of its own where a host's containerd (serving a system dockerd)
                  // would otherwise be shared with it.
                  "--containerd-namespace=pbs-test",
                  "--containerd-plugins-namespace=pbs-test-plugins",
                  "--log-level=warn")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      DockerDaemon daemon = new DockerDaemon(process, dir);
      daemon.awaitReady(log);
      return daemon;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code -H} value of this daemon, also skopeo's {@code --dest-daemon-host}. */
  public String host() {
    return "unix://" + dir.resolve("s");
  }

  /** Runs the docker CLI against this daemon ({@code docker -H HOST ARGS...}). */
  public Sh.Result docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", host()));
    command.addAll(List.of(args));
    return Sh.run(command.toArray(String[]::new));
  }

  public long pid() {
    return process.pid();
  }

  private void awaitReady(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String text = Files.readString(log);
        close();
        throw new IllegalStateException("dockerd exited: " + text);
      }
      if (Files.exists(dir.resolve("s")) && docker("version").code() == 0) {
        return;
      }
      sleep(200);
    }
    String text = Files.readString(log);
    close();
    throw new IllegalStateException(
        "dockerd did not answer within " + START_SECONDS + " s: " + text);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM (dockerd stops its containers and the containerd it started), then SIGKILL if it hangs;
   * then whatever it left mounted below its directory is unmounted and the directory removed.
   */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      mountsBelow().forEach(mount -> Sh.run("umount", "-l", mount));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Sh.run("rm", "-rf", dir.toString());
  }

  /** Mount points below the daemon's directory, deepest first. */
  private List<String> mountsBelow() throws IOException {
    String prefix = dir.toRealPath().toString() + "/";
    List<String> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length > 1 && fields[1].startsWith(prefix)) {
        mounts.add(fields[1]);
      }
    }
    mounts.sort(Comparator.comparingInt(String::length).reversed());
    return mounts;
  }
}
