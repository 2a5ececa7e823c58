package dev.pbstoolchain.oci.testing;

import dev.pbstoolchain.oci.base.BaseFilesystem;
import dev.pbstoolchain.oci.base.PlatformBase;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.model.Platform;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Base layers made by GNU tar (gzip, zstd or plain) in an OCI layout, for the base reader. */
public final class TestLayers {

  public final Path layout;
  public final List<Descriptor> descriptors = new ArrayList<>();

  public TestLayers(Path dir) throws Exception {
    layout = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
  }

  /** Tars {@code root} with GNU tar (owners as the files have them), compressed as asked. */
  public TestLayers add(Path root, String compression) throws Exception {
    Path tar = layout.resolve("layer.tar");
    Sh.ok(
        "tar", "--sort=name", "--numeric-owner", "-C", root.toString(), "-cf", tar.toString(), ".");
    String mediaType;
    switch (compression) {
      case "gzip" -> {
        Sh.ok("gzip", "-n", tar.toString());
        tar = layout.resolve("layer.tar.gz");
        mediaType = MediaTypes.DOCKER_LAYER_GZIP;
      }
      case "zstd" -> {
        Sh.ok("zstd", "-q", "--rm", tar.toString());
        tar = layout.resolve("layer.tar.zst");
        mediaType = MediaTypes.OCI_LAYER_ZSTD;
      }
      default -> mediaType = MediaTypes.OCI_LAYER;
    }
    byte[] bytes = Files.readAllBytes(tar);
    Digest digest = Digest.sha256(bytes);
    Files.move(tar, layout.resolve("blobs/sha256/" + digest.hex()));
    descriptors.add(new Descriptor(mediaType, digest, bytes.length));
    return this;
  }

  public BaseFilesystem read() throws Exception {
    Descriptor none = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(new byte[0]), 0);
    PlatformBase base =
        new PlatformBase(
            new Platform("linux", "amd64", ""), none, none, Json.object(), descriptors);
    return BaseFilesystem.read(base, LayoutReader.open(layout), "the test base");
  }

  /** Makes files, directories (a trailing /) and links ({@code "a -> b"}) under dir. */
  public static Path tree(Path dir, String... entries) throws Exception {
    for (String entry : entries) {
      String[] parts = entry.split(" -> ");
      Path path = dir.resolve(parts[0]);
      Files.createDirectories(path.getParent());
      if (parts.length == 2) {
        Files.createSymbolicLink(path, Path.of(parts[1]));
      } else if (entry.endsWith("/")) {
        Files.createDirectories(path);
      } else {
        Files.writeString(path, entry + "\n");
      }
    }
    return dir;
  }
}
