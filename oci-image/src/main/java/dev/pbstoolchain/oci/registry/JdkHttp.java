package dev.pbstoolchain.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTPS (and plain HTTP to a server other than the registry) through the JDK's HTTP client, whose
 * TLS is set up only when a connection first needs it ({@link LazyTls}).
 */
final class JdkHttp implements HttpTransport {

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(20))
          .sslContext(LazyTls.context())
          .sslParameters(LazyTls.parameters())
          .build();

  @Override
  public RegistryResponse send(
      String method, URI uri, Map<String, String> headers, RequestBody body, Duration timeout)
      throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher(body));
    headers.forEach(builder::header);
    HttpResponse<InputStream> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted");
      interrupted.initCause(e);
      throw interrupted;
    }
    Map<String, List<String>> lower = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), values));
    return new RegistryResponse(method, uri, response.statusCode(), lower, response.body());
  }

  private static HttpRequest.BodyPublisher publisher(RequestBody body) {
    if (body.length() == 0) {
      return HttpRequest.BodyPublishers.noBody();
    }
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(
            () -> {
              try {
                return body.open();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
        body.length());
  }
}
