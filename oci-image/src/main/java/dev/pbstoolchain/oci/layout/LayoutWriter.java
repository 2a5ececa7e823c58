package dev.pbstoolchain.oci.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes an OCI image layout into a hidden work directory beside the target and swaps it into place
 * only when complete, so a failed or killed build leaves the previous layout (or none), never half
 * of one. Work directories of killed builds are removed by the next one.
 */
public final class LayoutWriter implements AutoCloseable {

  private static final String LAYOUT_VERSION = "{\"imageLayoutVersion\":\"1.0.0\"}";

  private final Path target;
  private final Path work;
  private boolean committed;

  private LayoutWriter(Path target, Path work) {
    this.target = target;
    this.work = work;
  }

  public static LayoutWriter create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    String name = absolute.getFileName().toString();
    removeLeftovers(parent, name);
    Path work = Files.createTempDirectory(parent, "." + name + ".tmp-");
    Files.createDirectories(work.resolve("blobs").resolve(Digest.SHA256));
    return new LayoutWriter(absolute, work);
  }

  /** Work and old directories of builds that were killed before they cleaned up. */
  private static void removeLeftovers(Path parent, String name) throws IOException {
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(parent, "." + name + ".{tmp,old}-*")) {
      for (Path leftover : siblings) {
        Trees.delete(leftover);
      }
    }
  }

  /** The work directory: scratch files placed here go away with it. */
  public Path work() {
    return work;
  }

  public Path blobPath(Digest digest) {
    return work.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  public LayoutReader reader() throws IOException {
    return LayoutReader.open(work);
  }

  /** Stores a document (manifest, index, config) and returns its descriptor. */
  public Descriptor putBytes(String mediaType, byte[] bytes) throws IOException {
    Digest digest = Digest.sha256(bytes);
    Path blob = blobPath(digest);
    if (!Files.exists(blob)) {
      Path temp = Files.createTempFile(work, "blob-", ".tmp");
      Files.write(temp, bytes);
      move(temp, blob);
    }
    return new Descriptor(mediaType, digest, bytes.length);
  }

  /** A scratch file in the work directory, e.g. for a layer being written. */
  public Path tempFile() throws IOException {
    return Files.createTempFile(work, "blob-", ".tmp");
  }

  /** Moves a finished scratch file to the blob path of its digest. */
  public void commitBlob(Path temp, Digest digest) throws IOException {
    Path blob = blobPath(digest);
    if (Files.exists(blob)) {
      Files.delete(temp);
    } else {
      move(temp, blob);
    }
  }

  /**
   * Adds a blob from another source: a hard link to its file when it has one on this file system
   * (it was verified when read), else a copy verified against the descriptor.
   */
  public void addBlob(BlobSource source, Descriptor blob) throws IOException {
    Path path = blobPath(blob.digest());
    if (Files.exists(path)) {
      return;
    }
    Files.createDirectories(path.getParent());
    Optional<Path> file = source.file(blob.digest());
    if (file.isPresent()) {
      try {
        Files.createLink(path, file.get());
        return;
      } catch (IOException | UnsupportedOperationException e) {
        // Another file system, or no hard links: copy.
      }
    }
    Path temp = tempFile();
    MessageDigest hash = blob.digest().newMessageDigest();
    long size = 0;
    try (InputStream in = source.open(blob.digest());
        OutputStream out = Files.newOutputStream(temp)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        hash.update(buffer, 0, n);
        out.write(buffer, 0, n);
        size += n;
      }
    }
    Digest got = Digest.of(hash);
    if (size != blob.size() || !got.equals(blob.digest())) {
      Files.delete(temp);
      throw new IOException(
          blob.digest()
              + " in "
              + source.name()
              + " is corrupt: "
              + size
              + " bytes hashing to "
              + got
              + ", expected "
              + blob.size()
              + " bytes");
    }
    move(temp, path);
  }

  /** Writes {@code oci-layout} and {@code index.json} listing {@code manifests}. */
  public void finish(List<Descriptor> manifests) throws IOException {
    ObjectNode index = Json.object();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode list = index.putArray("manifests");
    manifests.forEach(m -> list.add(m.toJson()));
    Files.write(work.resolve(LayoutReader.INDEX_FILE), Json.bytes(index));
    Files.writeString(work.resolve(LayoutReader.LAYOUT_FILE), LAYOUT_VERSION);
  }

  /** Puts the finished layout in the target's place (replacing an earlier one). */
  public Path commit() throws IOException {
    normalisePermissions();
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(target + " appeared while the layout was written; try again", e);
    }
    committed = true;
    if (old != null) {
      Trees.delete(old);
    }
    return target;
  }

  /** 0755 directories and 0644 files, whatever the umask (linked base blobs stay as they are). */
  private void normalisePermissions() throws IOException {
    try (Stream<Path> paths = Files.walk(work)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (!Files.isDirectory(path) && (int) Files.getAttribute(path, "unix:nlink") > 1) {
          continue; // a base blob linked in: its modes are its owner's
        }
        Files.setPosixFilePermissions(
            path,
            PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      Trees.delete(work);
    }
  }
}
