package dev.pbstoolchain.oci.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * JSON in and out. Written JSON is compact and its fields come out in the order the code puts them
 * (maps sorted by key), so the same image always has the same bytes and digests.
 */
public final class Json {

  /** Manifests, indexes and configs larger than this are refused (registries cap them at 4 MiB). */
  public static final int MAX_DOCUMENT = 4 * 1024 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .build()
          .configure(
              com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(MAX_DOCUMENT)
                .build());
  }

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /**
   * Parses a JSON object.
   *
   * @param what names the document in the error (e.g. "the manifest sha256:... of BASE")
   * @throws IOException when it is not a JSON object
   */
  public static ObjectNode parse(byte[] bytes, String what) throws IOException {
    if (bytes.length > MAX_DOCUMENT) {
      throw new IOException(what + " is " + bytes.length + " bytes, over the 4 MiB limit");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IOException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IOException(what + " is not a JSON object");
    }
    return (ObjectNode) node;
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  public static String text(JsonNode node) {
    return new String(bytes(node), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** An object of the map's entries sorted by key. */
  public static ObjectNode sorted(Map<String, String> map) {
    ObjectNode node = object();
    new java.util.TreeMap<>(map).forEach(node::put);
    return node;
  }
}
