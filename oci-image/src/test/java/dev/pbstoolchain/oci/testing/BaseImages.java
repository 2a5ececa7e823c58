package dev.pbstoolchain.oci.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The tests' base image: a small glibc Debian for linux/amd64 and linux/arm64/v8, built by {@code
 * make-base.sh} (mmdebstrap + umoci) once per machine and kept under {@code
 * ~/.cache/pbs-toolchain/oci-test-base/} (never in the repository). The OCI layout has the tags
 * {@code amd64} and {@code arm64} (single manifests) and {@code bookworm} (an index over both, as a
 * multi-platform base from a registry is).
 */
public final class BaseImages {

  /** Bump when make-base.sh changes, so machines rebuild their cached base. */
  private static final String VERSION = "bookworm-v2";

  public static final String MULTI_PLATFORM_TAG = "bookworm";

  private static Path layout;

  private BaseImages() {}

  /** The multi-platform base as an image request names it: {@code oci-layout:DIR:TAG}. */
  public static String multiPlatform() {
    return "oci-layout:" + layout() + ":" + MULTI_PLATFORM_TAG;
  }

  public static synchronized Path layout() {
    if (layout != null) {
      return layout;
    }
    Path cache =
        Path.of(System.getProperty("user.home"), ".cache", "pbs-toolchain", "oci-test-base");
    Path dir = cache.resolve(VERSION);
    try {
      Files.createDirectories(cache);
      try (FileChannel lockFile =
              FileChannel.open(
                  cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockFile.lock()) {
        if (!Files.isRegularFile(dir.resolve("index.json"))) {
          build(cache, dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    layout = dir;
    return dir;
  }

  private static void build(Path cache, Path dir) throws IOException {
    Path work = Files.createTempDirectory(cache, "." + VERSION + "-");
    // From the class path: the plugin's ITs use this class from oci-image's test jar.
    Path script = work.resolve("make-base.sh");
    try (var in = BaseImages.class.getResourceAsStream("make-base.sh")) {
      Files.copy(in, script);
    }
    Sh.Result made = Sh.run("bash", script.toString(), work.resolve("oci").toString());
    if (made.code() != 0) {
      throw new IllegalStateException(
          "make-base.sh could not build the tests' base image (needs mmdebstrap, umoci and"
              + " deb.debian.org): "
              + made.out());
    }
    addIndex(work.resolve("oci"));
    Files.move(work.resolve("oci"), dir, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(script);
    Files.delete(work);
  }

  /** Adds the tag bookworm: an OCI index over the amd64 and arm64 manifests umoci wrote. */
  private static void addIndex(Path oci) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode layoutIndex = (ObjectNode) json.readTree(oci.resolve("index.json").toFile());
    ObjectNode index = json.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode manifests = index.putArray("manifests");
    for (JsonNode entry : layoutIndex.path("manifests")) {
      String arch = entry.path("annotations").path("org.opencontainers.image.ref.name").asText();
      ObjectNode manifest = manifests.addObject();
      manifest.put("mediaType", entry.path("mediaType").asText());
      manifest.put("digest", entry.path("digest").asText());
      manifest.put("size", entry.path("size").asLong());
      ObjectNode platform = manifest.putObject("platform");
      platform.put("architecture", arch);
      platform.put("os", "linux");
      if (arch.equals("arm64")) {
        platform.put("variant", "v8");
      }
    }
    byte[] bytes = json.writeValueAsBytes(index);
    String hex;
    try {
      hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.write(oci.resolve("blobs/sha256/" + hex), bytes);
    ObjectNode tagged = ((ArrayNode) layoutIndex.path("manifests")).addObject();
    tagged.put("mediaType", "application/vnd.oci.image.index.v1+json");
    tagged.put("digest", "sha256:" + hex);
    tagged.put("size", bytes.length);
    tagged.putObject("annotations").put("org.opencontainers.image.ref.name", MULTI_PLATFORM_TAG);
    Files.write(oci.resolve("index.json"), json.writeValueAsBytes(layoutIndex));
  }
}
