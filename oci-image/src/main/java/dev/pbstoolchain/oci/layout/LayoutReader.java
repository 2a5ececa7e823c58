package dev.pbstoolchain.oci.layout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** An OCI image layout directory: {@code oci-layout}, {@code index.json}, {@code blobs/ALG/HEX}. */
public final class LayoutReader implements BlobSource {

  static final String LAYOUT_FILE = "oci-layout";
  static final String INDEX_FILE = "index.json";

  private final Path dir;

  private LayoutReader(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens a layout directory.
   *
   * @throws IOException when it is no OCI layout, saying how to make one
   */
  public static LayoutReader open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir + " is not a directory");
    }
    Path marker = dir.resolve(LAYOUT_FILE);
    if (!Files.isRegularFile(marker) || !Files.isRegularFile(dir.resolve(INDEX_FILE))) {
      throw new IOException(
          dir
              + " is no OCI image layout (it needs oci-layout and index.json); make one with"
              + " skopeo copy docker://IMAGE oci:"
              + dir
              + ":TAG");
    }
    checkVersion(Files.readAllBytes(marker), marker.toString());
    return new LayoutReader(dir);
  }

  static void checkVersion(byte[] marker, String where) throws IOException {
    String version = Json.parse(marker, where).path("imageLayoutVersion").asText("");
    if (!version.startsWith("1.")) {
      throw new IOException(
          where + " declares image layout version '" + version + "'; only 1.x is understood");
    }
  }

  public ObjectNode index() throws IOException {
    Path index = dir.resolve(INDEX_FILE);
    if (Files.size(index) > Json.MAX_DOCUMENT) {
      throw new IOException(index + " is over the 4 MiB limit of an index");
    }
    return Json.parse(Files.readAllBytes(index), index.toString());
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String name() {
    return "the OCI layout " + dir;
  }

  public Path blobPath(Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    Path blob = blobPath(digest);
    if (!Files.isRegularFile(blob)) {
      throw new NoSuchFileException(blob + " (" + digest + ") is missing from " + name());
    }
    return Files.newInputStream(blob);
  }

  @Override
  public Optional<Path> file(Digest digest) {
    Path blob = blobPath(digest);
    return Files.isRegularFile(blob) ? Optional.of(blob) : Optional.empty();
  }
}
