package dev.pbstoolchain.oci.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A content descriptor: what a blob is, its digest and size, and for an index entry its platform.
 *
 * @param mediaType the blob's media type
 * @param digest its digest
 * @param size its length in bytes
 * @param platform the platform of an index entry, or null
 * @param annotations annotations, sorted by key
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Platform platform,
    Map<String, String> annotations) {

  /** The annotation that names a tag in an OCI layout's index.json. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  public Descriptor {
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " for " + digest);
    }
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, Map.of());
  }

  public Descriptor withPlatform(Platform newPlatform) {
    return new Descriptor(mediaType, digest, size, newPlatform, annotations);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, platform, newAnnotations);
  }

  public Descriptor withMediaType(String newMediaType) {
    return new Descriptor(newMediaType, digest, size, platform, annotations);
  }

  /**
   * Reads a descriptor, checking what the rest of the code relies on: a media type, a valid digest
   * and a size that is a non-negative integer.
   *
   * @param where names the document and the field for errors
   */
  public static Descriptor fromJson(JsonNode node, String where) throws IOException {
    if (!node.isObject()) {
      throw new IOException(where + " is not a descriptor object");
    }
    JsonNode mediaType = node.get("mediaType");
    JsonNode digest = node.get("digest");
    JsonNode size = node.get("size");
    if (mediaType == null || !mediaType.isTextual()) {
      throw new IOException(where + " has no mediaType");
    }
    if (digest == null || !digest.isTextual() || !Digest.isDigest(digest.asText())) {
      throw new IOException(where + " has no valid digest (got " + digest + ")");
    }
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new IOException(where + " has no valid size (got " + size + ")");
    }
    Map<String, String> annotations = new TreeMap<>();
    JsonNode given = node.path("annotations");
    for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      annotations.put(e.getKey(), e.getValue().asText());
    }
    Platform platform = node.has("platform") ? Platform.fromJson(node.get("platform")) : null;
    return new Descriptor(
        mediaType.asText(), Digest.parse(digest.asText()), size.asLong(), platform, annotations);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("mediaType", mediaType);
    node.put("digest", digest.toString());
    node.put("size", size);
    if (platform != null) {
      platform.writeTo(node.putObject("platform"));
    }
    if (!annotations.isEmpty()) {
      node.set("annotations", Json.sorted(annotations));
    }
    return node;
  }
}
