package dev.pbstoolchain.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pbstoolchain.oci.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The error body of the distribution API, {@code {"errors":[{"code":..,"message":..}]}}, turned
 * into one line; a body of another shape is shown as its first 200 characters.
 */
final class RegistryErrors {

  private RegistryErrors() {}

  static String describe(int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    List<String> errors = new ArrayList<>();
    try {
      JsonNode node = Json.parse(body, "the registry's error");
      for (JsonNode error : node.path("errors")) {
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        errors.add((code + (message.isEmpty() ? "" : ": " + message)).strip());
      }
    } catch (IOException notJson) {
      // Proxies and load balancers answer with HTML or plain text.
    }
    String detail =
        !errors.isEmpty()
            ? String.join("; ", errors)
            : text.isEmpty() ? "" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return "HTTP " + status + (detail.isEmpty() ? "" : " " + detail.replaceAll("\\s+", " "));
  }
}
