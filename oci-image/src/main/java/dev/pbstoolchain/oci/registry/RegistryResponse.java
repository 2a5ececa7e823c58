package dev.pbstoolchain.oci.registry;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An answer to one request: its status, headers (names in lower case) and body, which the caller
 * reads and closes; the request's method and URI, for messages.
 */
final class RegistryResponse {

  private final String method;
  private final URI uri;
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;

  RegistryResponse(
      String method, URI uri, int status, Map<String, List<String>> headers, InputStream body) {
    this.method = method;
    this.uri = uri;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  String method() {
    return method;
  }

  URI uri() {
    return uri;
  }

  int status() {
    return status;
  }

  /** The first value of a header, whatever the case of its name. */
  Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  InputStream body() {
    return body;
  }
}
