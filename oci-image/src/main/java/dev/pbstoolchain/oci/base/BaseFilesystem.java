package dev.pbstoolchain.oci.base;

import com.github.luben.zstd.ZstdInputStream;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.layout.BlobSource;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.MediaTypes;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The file system a base's layers make, as far as the new layers need it: each path's type, mode,
 * owner and mtime, where its links lead, and the text of {@code /etc/passwd} and {@code
 * /etc/group}. Layers are applied bottom up with the image spec's whiteouts ({@code .wh.NAME}
 * deletes NAME, {@code .wh..wh..opq} hides what lower layers had in a directory). Reading a layer
 * also verifies its digest, so a corrupt base fails here rather than in a registry.
 */
public final class BaseFilesystem {

  /** What a path is. */
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    OTHER
  }

  /**
   * One path of the base.
   *
   * @param kind its type
   * @param mode permission bits
   * @param uid owner id
   * @param gid group id
   * @param user owner name as the tar header says (may be empty)
   * @param group group name likewise
   * @param mtime modification time, seconds
   * @param linkTarget a symlink's target
   */
  public record Node(
      Kind kind,
      int mode,
      long uid,
      long gid,
      String user,
      String group,
      long mtime,
      String linkTarget) {}

  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int ACCOUNTS_LIMIT = 1 << 20;

  private final NavigableMap<String, Node> nodes = new TreeMap<>();
  private String passwd;
  private String group;

  private BaseFilesystem() {}

  /** Reads the layers of a platform's base image. */
  public static BaseFilesystem read(PlatformBase base, BlobSource blobs, String baseName)
      throws OciException {
    BaseFilesystem fs = new BaseFilesystem();
    for (Descriptor layer : base.layers()) {
      try {
        fs.apply(layer, blobs);
      } catch (IOException e) {
        throw OciException.configuration(
            "Cannot read layer "
                + layer.digest()
                + " of the base "
                + baseName
                + ": "
                + e.getMessage());
      }
    }
    return fs;
  }

  public Optional<Node> get(String path) {
    return Optional.ofNullable(nodes.get(path));
  }

  /** The base's {@code /etc/passwd}, if it has one. */
  public Optional<String> passwd() {
    return Optional.ofNullable(passwd);
  }

  /** The base's {@code /etc/group}, if it has one. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  public int size() {
    return nodes.size();
  }

  private void apply(Descriptor layer, BlobSource blobs) throws IOException {
    MessageDigest hash = layer.digest().newMessageDigest();
    HashingStream raw = new HashingStream(blobs.open(layer.digest()), hash);
    try (raw) {
      InputStream plain =
          switch (MediaTypes.layerCompression(layer.mediaType())) {
            case GZIP -> new GZIPInputStream(raw, 1 << 16);
            case ZSTD -> new ZstdInputStream(raw);
            case NONE -> raw;
          };
      TarArchiveInputStream tar =
          new TarArchiveInputStream(new BufferedInputStream(plain, 1 << 16));
      Set<String> thisLayer = new HashSet<>();
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        apply(entry, tar, thisLayer);
      }
      plain.transferTo(OutputStream.nullOutputStream());
      raw.transferTo(OutputStream.nullOutputStream());
    }
    if (raw.count != layer.size()) {
      throw new IOException(
          "it is "
              + raw.count
              + " bytes, its descriptor says "
              + layer.size()
              + ": the base is corrupt");
    }
    Digest got = Digest.of(hash);
    if (!got.equals(layer.digest())) {
      throw new IOException("its bytes hash to " + got + ": the base is corrupt");
    }
  }

  private void apply(TarArchiveEntry entry, InputStream content, Set<String> thisLayer)
      throws IOException {
    String path = clean(entry.getName());
    if (path.isEmpty()) {
      return;
    }
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "" : path.substring(0, slash);
    String name = path.substring(slash + 1);
    if (name.equals(OPAQUE)) {
      below(parent).keySet().removeIf(p -> !thisLayer.contains(p));
      return;
    }
    if (name.startsWith(WHITEOUT)) {
      removeTree((parent.isEmpty() ? "" : parent + "/") + name.substring(WHITEOUT.length()));
      return;
    }
    Kind kind =
        entry.isDirectory()
            ? Kind.DIRECTORY
            : entry.isSymbolicLink()
                ? Kind.SYMLINK
                : entry.isFile() || entry.isLink() ? Kind.FILE : Kind.OTHER;
    if (kind != Kind.DIRECTORY) {
      removeTree(path);
    }
    nodes.put(
        path,
        new Node(
            kind,
            entry.getMode() & 07777,
            entry.getLongUserId(),
            entry.getLongGroupId(),
            entry.getUserName(),
            entry.getGroupName(),
            entry.getLastModifiedTime() == null ? 0 : entry.getLastModifiedTime().toMillis() / 1000,
            kind == Kind.SYMLINK ? entry.getLinkName() : null));
    thisLayer.add(path);
    if (kind == Kind.FILE
        && entry.isFile()
        && (path.equals("etc/passwd") || path.equals("etc/group"))) {
      if (entry.getSize() > ACCOUNTS_LIMIT) {
        throw new IOException("/" + path + " is over 1 MiB; that is no account database");
      }
      String text = new String(content.readNBytes((int) entry.getSize()), StandardCharsets.UTF_8);
      if (path.equals("etc/passwd")) {
        passwd = text;
      } else {
        group = text;
      }
    }
  }

  private void removeTree(String path) {
    Node removed = nodes.remove(path);
    if (removed != null && removed.kind() == Kind.DIRECTORY) {
      below(path).clear();
    }
  }

  /** The paths under a directory ("" is the root), as a live view. */
  private NavigableMap<String, Node> below(String dir) {
    // '/' + 1 is '0': every path that starts with "dir/" sorts in [dir/, dir0).
    return dir.isEmpty() ? nodes : nodes.subMap(dir + "/", true, dir + "0", false);
  }

  /** {@code ./usr/bin/} -> {@code usr/bin}. */
  public static String clean(String name) {
    String p = name;
    while (p.startsWith("./") || p.startsWith("/")) {
      p = p.substring(p.startsWith("/") ? 1 : 2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }

  /** Counts and hashes what passes through: the compressed layer as stored. */
  private static final class HashingStream extends FilterInputStream {
    private final MessageDigest hash;
    long count;

    HashingStream(InputStream in, MessageDigest hash) {
      super(in);
      this.hash = hash;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        hash.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        hash.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must be hashed too.
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }
  }
}
