package dev.pbstoolchain.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registry logins as {@code docker login} stores them: {@code config.json} in {@code
 * $DOCKER_CONFIG} or {@code ~/.docker}, with its {@code credHelpers} (one helper per registry),
 * {@code credsStore} (the default helper) and {@code auths} (inline logins), asked in that order. A
 * helper is the program {@code docker-credential-NAME}, run as {@code get} with the server on
 * stdin; what it prints is parsed and never logged.
 */
public final class DockerConfig {

  /** Docker Hub's key in config.json and what its helpers are asked for. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private static final long HELPER_TIMEOUT_SECONDS = 60;

  private final Path file;
  private final ObjectNode config;

  private DockerConfig(Path file, ObjectNode config) {
    this.file = file;
    this.config = config;
  }

  /** The config of this user: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker}. */
  public static Path defaultLocation() {
    String dir = System.getenv("DOCKER_CONFIG");
    return dir != null && !dir.isBlank()
        ? Path.of(dir, "config.json")
        : Path.of(System.getProperty("user.home"), ".docker", "config.json");
  }

  /** Reads a config.json; a missing file is an empty config. */
  public static DockerConfig read(Path file) throws OciException {
    if (file == null || !Files.isRegularFile(file)) {
      return new DockerConfig(file, Json.object());
    }
    try {
      return new DockerConfig(file, Json.parse(Files.readAllBytes(file), file.toString()));
    } catch (IOException e) {
      throw OciException.configuration(
          "Cannot read the docker credentials file "
              + file
              + ": "
              + e.getMessage()
              + ". Fix it (docker login rewrites it) or point DOCKER_CONFIG elsewhere.");
    }
  }

  /** The login for a registry host (e.g. {@code registry.example.com:5000}), if there is one. */
  public Optional<Credentials> lookup(String registry) throws OciException {
    String helper =
        matching(config.path("credHelpers"), registry).map(JsonNode::asText).orElse(null);
    if (helper == null && config.path("credsStore").isTextual()) {
      helper = config.path("credsStore").asText();
    }
    if (helper != null && !helper.isBlank()) {
      Optional<Credentials> fromHelper = runHelper(helper, registry);
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    Optional<JsonNode> auth = matching(config.path("auths"), registry);
    return auth.isPresent() ? inline(auth.get(), registry) : Optional.empty();
  }

  private Optional<Credentials> inline(JsonNode auth, String registry) throws OciException {
    if (auth.path("identitytoken").isTextual() && !auth.path("identitytoken").asText().isEmpty()) {
      return Optional.of(Credentials.identityToken(auth.path("identitytoken").asText()));
    }
    if (auth.path("auth").isTextual() && !auth.path("auth").asText().isEmpty()) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(auth.path("auth").asText().strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw OciException.configuration(
            "The login for " + registry + " in " + file + " is not base64: run docker login again");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw OciException.configuration(
            "The login for "
                + registry
                + " in "
                + file
                + " is not user:password: run docker login again");
      }
      return Optional.of(
          new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    if (auth.path("username").isTextual() && auth.path("password").isTextual()) {
      return Optional.of(
          new Credentials(auth.path("username").asText(), auth.path("password").asText()));
    }
    return Optional.empty();
  }

  /** The entry of {@code map} whose key names the registry (with or without scheme and path). */
  private static Optional<JsonNode> matching(JsonNode map, String registry) {
    String wanted = hostKey(registry);
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (hostKey(e.getKey()).equals(wanted)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * {@code https://index.docker.io/v1/} -> {@code docker.io}; {@code http://h:5000/x} -> h:5000.
   */
  static String hostKey(String key) {
    String host = key.toLowerCase(Locale.ROOT).strip();
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    return switch (host) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
      default -> host;
    };
  }

  private Optional<Credentials> runHelper(String helper, String registry) throws OciException {
    String program = "docker-credential-" + helper;
    String server = hostKey(registry).equals("docker.io") ? DOCKER_HUB_KEY : registry;
    Process process;
    try {
      process = new ProcessBuilder(program, "get").redirectErrorStream(false).start();
    } catch (IOException e) {
      throw OciException.configuration(
          file
              + " says the logins for "
              + registry
              + " are kept by the credential helper '"
              + helper
              + "', but "
              + program
              + " cannot be run ("
              + e.getMessage()
              + "): install it on the PATH, or remove it from credHelpers/credsStore");
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(server.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out;
      try (InputStream stdout = process.getInputStream()) {
        out = stdout.readNBytes(64 * 1024);
      }
      String err;
      try (InputStream stderr = process.getErrorStream()) {
        err = new String(stderr.readNBytes(4096), StandardCharsets.UTF_8).strip();
      }
      if (!process.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw OciException.failure(program + " get did not answer for " + registry);
      }
      String said = new String(out, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        // Helpers say "credentials not found in native keychain" when they have no login.
        if ((said + err).toLowerCase(Locale.ROOT).contains("not found")) {
          return Optional.empty();
        }
        throw OciException.failure(
            program
                + " get failed for "
                + registry
                + " (exit "
                + process.exitValue()
                + "): "
                + firstLine(err.isEmpty() ? said : err));
      }
      JsonNode answer;
      try {
        answer = Json.parse(out, "the answer of " + program);
      } catch (IOException e) {
        // The parser's message quotes what it read, which may be the secret itself.
        throw OciException.failure(
            program + " get printed something that is not a JSON login for " + registry);
      }
      String user = answer.path("Username").asText("");
      String secret = answer.path("Secret").asText("");
      return secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
    } catch (IOException e) {
      throw OciException.failure(
          "Cannot read the login for " + registry + " from " + program + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw OciException.failure("Interrupted while asking " + program + " for " + registry, e);
    }
  }

  /** Only the first line of a helper's complaint: never a dump that might hold a secret. */
  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
