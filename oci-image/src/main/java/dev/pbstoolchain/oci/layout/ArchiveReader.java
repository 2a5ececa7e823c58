package dev.pbstoolchain.oci.layout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An {@code oci-archive}: an OCI image layout in a tar file (what {@code skopeo copy ...
 * oci-archive:FILE} and {@code podman save --format oci-archive} write), read in place.
 */
public final class ArchiveReader implements BlobSource {

  private final Path file;
  private final TarFile tar;
  private final Map<String, TarArchiveEntry> entries = new HashMap<>();

  private ArchiveReader(Path file, TarFile tar) {
    this.file = file;
    this.tar = tar;
    for (TarArchiveEntry entry : tar.getEntries()) {
      if (entry.isFile()) {
        String name = entry.getName();
        while (name.startsWith("./") || name.startsWith("/")) {
          name = name.substring(name.startsWith("/") ? 1 : 2);
        }
        entries.put(name, entry);
      }
    }
  }

  public static ArchiveReader open(Path file) throws IOException {
    TarFile tar;
    try {
      tar = new TarFile(file);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a tar archive: " + e.getMessage(), e);
    }
    ArchiveReader reader = new ArchiveReader(file, tar);
    try {
      if (!reader.entries.containsKey(LayoutReader.LAYOUT_FILE)
          || !reader.entries.containsKey(LayoutReader.INDEX_FILE)) {
        throw new IOException(
            file
                + " holds no OCI image layout (no oci-layout and index.json at its top); write"
                + " one with skopeo copy docker://IMAGE oci-archive:"
                + file);
      }
      LayoutReader.checkVersion(reader.read(LayoutReader.LAYOUT_FILE), file + "!/oci-layout");
      return reader;
    } catch (IOException e) {
      reader.close();
      throw e;
    }
  }

  public ObjectNode index() throws IOException {
    return Json.parse(read(LayoutReader.INDEX_FILE), file + "!/index.json");
  }

  private byte[] read(String name) throws IOException {
    TarArchiveEntry entry = entries.get(name);
    if (entry.getSize() > Json.MAX_DOCUMENT) {
      throw new IOException(file + "!/" + name + " is over the 4 MiB limit");
    }
    try (InputStream in = tar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  @Override
  public String name() {
    return "the OCI archive " + file;
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    TarArchiveEntry entry = entries.get("blobs/" + digest.algorithm() + "/" + digest.hex());
    if (entry == null) {
      throw new NoSuchFileException(digest + " is missing from " + name());
    }
    return tar.getInputStream(entry);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
