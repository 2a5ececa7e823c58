package dev.pbstoolchain.oci.registry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Sends one HTTP/1.1 request and returns the answer; no retries, no redirects, no login. */
interface HttpTransport {

  /**
   * @param headers the request's own headers (no Host, Content-Length nor Connection)
   * @param timeout how long the answer may take to come
   * @throws IOException when no answer came (the connection failed, broke or timed out)
   */
  RegistryResponse send(
      String method, URI uri, Map<String, String> headers, RequestBody body, Duration timeout)
      throws IOException;
}
