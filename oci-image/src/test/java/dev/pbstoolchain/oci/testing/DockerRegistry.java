package dev.pbstoolchain.oci.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code docker-registry} (Debian's distribution 2.8) on a free loopback port, its config
 * and storage in a temp directory, stopped by its PID.
 */
public final class DockerRegistry implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private DockerRegistry(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** How the registry is set up. */
  public static final class Builder {
    private final Path dir;
    private String auth = "";
    private boolean readOnly;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** Basic auth against an htpasswd file (bcrypt lines). */
    public Builder htpasswd(Path file) {
      auth = "auth:\n  htpasswd:\n    realm: pbs-test\n    path: " + file + "\n";
      return this;
    }

    /** Bearer tokens from a token service, signed by a key whose certificate is in the bundle. */
    public Builder token(String realm, String service, String issuer, Path rootCertBundle) {
      auth =
          "auth:\n  token:\n    realm: "
              + realm
              + "\n    service: "
              + service
              + "\n    issuer: "
              + issuer
              + "\n    rootcertbundle: "
              + rootCertBundle
              + "\n";
      return this;
    }

    /** Refuses every push (maintenance read-only mode). */
    public Builder readOnly() {
      readOnly = true;
      return this;
    }

    public DockerRegistry start() {
      try {
        Files.createDirectories(dir);
        int port = freePort();
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(
            config,
            "version: 0.1\n"
                + "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: "
                + storage
                + "\n  delete:\n    enabled: true\n"
                + (readOnly ? "  maintenance:\n    readonly:\n      enabled: true\n" : "")
                + "http:\n  addr: 127.0.0.1:"
                + port
                + "\n"
                + auth);
        Path log = dir.resolve("registry.log");
        Process process =
            new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        DockerRegistry registry = new DockerRegistry(process, port, dir);
        registry.awaitReady(log);
        return registry;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  public static DockerRegistry start(Path dir) {
    return builder(dir).start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Path log) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
      }
      try {
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("docker-registry did not answer: " + Files.readString(log));
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
