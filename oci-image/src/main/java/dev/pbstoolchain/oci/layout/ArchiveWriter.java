package dev.pbstoolchain.oci.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.tar.TarHeaders;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.output.AtomicOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Archives of a layout: the {@code oci-archive} (the layout directory as an uncompressed tar, what
 * {@code skopeo copy oci-archive:FILE} and {@code podman load} read) and a per-platform
 * docker-archive for {@code docker load}, which is an OCI layout of that one image plus the {@code
 * manifest.json} docker reads (as {@code docker save} writes since Docker 25). Entries sorted,
 * owned by root, one mtime, written beside the target and renamed.
 */
public final class ArchiveWriter {

  private ArchiveWriter() {}

  /** A file of the archive: its name and where its bytes are (or the bytes themselves). */
  private record Member(String name, Path file, byte[] bytes) {
    long size() throws IOException {
      return bytes != null ? bytes.length : Files.size(file);
    }
  }

  /**
   * The whole layout directory as an oci-archive.
   *
   * @return the archive's SHA-256, taken from the bytes as they were written (for SHA256SUMS, so
   *     nobody reads the archive again to hash it)
   */
  public static Digest ociArchive(Path layoutDir, Path archive, long epochSeconds)
      throws IOException {
    LayoutReader layout = LayoutReader.open(layoutDir);
    TreeMap<String, Member> members = new TreeMap<>();
    members.put(
        LayoutReader.LAYOUT_FILE,
        new Member(LayoutReader.LAYOUT_FILE, layoutDir.resolve(LayoutReader.LAYOUT_FILE), null));
    members.put(
        LayoutReader.INDEX_FILE,
        new Member(LayoutReader.INDEX_FILE, layoutDir.resolve(LayoutReader.INDEX_FILE), null));
    try (var algorithms = Files.list(layout.dir().resolve("blobs"))) {
      for (Path algorithm : (Iterable<Path>) algorithms::iterator) {
        try (var blobs = Files.list(algorithm)) {
          for (Path blob : (Iterable<Path>) blobs::iterator) {
            String name = "blobs/" + algorithm.getFileName() + "/" + blob.getFileName();
            members.put(name, new Member(name, blob, null));
          }
        }
      }
    }
    return write(archive, members, epochSeconds);
  }

  /**
   * A docker-archive of one image of the layout: the manifest, its config and layers, an index.json
   * naming it, and docker's manifest.json with the repository tags.
   *
   * @param manifest the platform's manifest in the layout
   * @param repoTags e.g. {@code registry.example.com/acme/app:1.2.0}
   */
  public static void dockerArchive(
      Path layoutDir, Descriptor manifest, List<String> repoTags, Path archive, long epochSeconds)
      throws IOException {
    LayoutReader layout = LayoutReader.open(layoutDir);
    ObjectNode manifestJson = Json.parse(layout.document(manifest), manifest.digest().toString());
    Descriptor config = Descriptor.fromJson(manifestJson.path("config"), "the manifest's config");
    List<Descriptor> layers = new ArrayList<>();
    for (var layer : manifestJson.path("layers")) {
      layers.add(Descriptor.fromJson(layer, "a layer of the manifest"));
    }
    TreeMap<String, Member> members = new TreeMap<>();
    List<Descriptor> blobs = new ArrayList<>(layers);
    blobs.add(config);
    blobs.add(manifest);
    for (Descriptor blob : blobs) {
      String name = blobName(blob.digest());
      members.put(name, new Member(name, layout.blobPath(blob.digest()), null));
    }
    ObjectNode docker = Json.object();
    docker.put("Config", blobName(config.digest()));
    ArrayNode tags = docker.putArray("RepoTags");
    repoTags.forEach(tags::add);
    ArrayNode layerNames = docker.putArray("Layers");
    layers.forEach(l -> layerNames.add(blobName(l.digest())));
    ArrayNode manifestJsonList = Json.array().add(docker);
    members.put("manifest.json", new Member("manifest.json", null, Json.bytes(manifestJsonList)));
    ObjectNode index = Json.object();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode list = index.putArray("manifests");
    if (repoTags.isEmpty()) {
      list.add(manifest.withAnnotations(Map.of()).toJson());
    }
    for (String tag : repoTags) {
      list.add(
          manifest
              .withAnnotations(
                  Map.of(
                      "io.containerd.image.name",
                      tag,
                      Descriptor.REF_NAME,
                      tag.substring(tag.lastIndexOf(':') + 1)))
              .toJson());
    }
    members.put(
        LayoutReader.INDEX_FILE, new Member(LayoutReader.INDEX_FILE, null, Json.bytes(index)));
    members.put(
        LayoutReader.LAYOUT_FILE,
        new Member(LayoutReader.LAYOUT_FILE, layoutDir.resolve(LayoutReader.LAYOUT_FILE), null));
    write(archive, members, epochSeconds);
  }

  private static String blobName(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }

  /** Writes the tar and returns the SHA-256 of its bytes, hashed on the way out. */
  private static Digest write(Path archive, TreeMap<String, Member> members, long epoch)
      throws IOException {
    MessageDigest hash = Digest.newSha256();
    try {
      AtomicOutput.write(
          archive, out -> writeTar(new DigestOutputStream(out, hash), members, epoch));
    } catch (PackagingException e) {
      throw new IOException(e.getMessage(), e);
    }
    return Digest.of(hash);
  }

  private static void writeTar(OutputStream out, TreeMap<String, Member> members, long epoch)
      throws IOException {
    java.util.Set<String> directories = new java.util.TreeSet<>();
    for (String name : members.keySet()) {
      for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
        directories.add(name.substring(0, slash));
      }
    }
    TreeMap<String, Member> all = new TreeMap<>(members);
    for (String dir : directories) {
      all.put(dir, null);
    }
    for (var e : all.entrySet()) {
      Member member = e.getValue();
      if (member == null) {
        out.write(TarHeaders.directory(e.getKey(), 0755, TarHeaders.Owner.ROOT, epoch));
        continue;
      }
      long size = member.size();
      out.write(TarHeaders.file(member.name(), 0644, size, TarHeaders.Owner.ROOT, epoch));
      if (member.bytes() != null) {
        out.write(member.bytes());
      } else {
        long copied;
        try (InputStream in = Files.newInputStream(member.file())) {
          copied = in.transferTo(out);
        }
        if (copied != size) {
          throw new IOException(member.file() + " changed while it was archived");
        }
      }
      out.write(new byte[TarHeaders.padding(size)]);
    }
    out.write(TarHeaders.end());
  }
}
