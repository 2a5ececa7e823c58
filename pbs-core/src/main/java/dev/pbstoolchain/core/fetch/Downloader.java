package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads release files from {@code http(s):} or {@code file:} URLs: follows redirects (dropping the
 * bearer token when the host changes), retries 5xx answers and failed connections with exponential
 * backoff, and resumes a cut transfer with a {@code Range} request.
 */
public final class Downloader {

  private static final int MAX_REDIRECTS = 10;

  private final HttpSettings settings;
  private final PbsConsole console;
  private final HttpClient client;

  public Downloader(HttpSettings settings, PbsConsole console) {
    this.settings = settings;
    this.console = console;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(new LazyTlsContext())
            .sslParameters(LazyTlsContext.parameters());
    ProxySettings proxy = settings.proxy();
    if (proxy != null) {
      builder.proxy(new SettingsProxySelector(proxy));
      if (proxy.username() != null) {
        builder.authenticator(
            new Authenticator() {
              @Override
              protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                    ? new PasswordAuthentication(
                        proxy.username(),
                        Objects.requireNonNullElse(proxy.password(), "").toCharArray())
                    : null;
              }
            });
      }
    }
    this.client = builder.build();
  }

  /** A body being read, with its length when the server told it. */
  public record Body(InputStream stream, OptionalLong length) {}

  /** Opens {@code uri} for reading; a missing file or HTTP 404 is reported as empty. */
  public Optional<Body> open(URI uri) throws PbsException {
    if ("file".equals(uri.getScheme())) {
      Path path = Path.of(uri);
      try {
        return Optional.of(new Body(Files.newInputStream(path), OptionalLong.of(Files.size(path))));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw PbsException.failure("Cannot read " + uri + ": " + e.getMessage(), e);
      }
    }
    Optional<HttpResponse<InputStream>> response = send(uri, 0);
    if (response.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong length = response.get().headers().firstValueAsLong("Content-Length");
    return Optional.of(new Body(new ResumingStream(uri, response.get().body(), length), length));
  }

  /** Reads a small text file (a checksum list); empty when it does not exist. */
  public Optional<String> readText(URI uri) throws PbsException {
    Optional<Body> body = open(uri);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = body.get().stream()) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw PbsException.failure("Cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sends a GET, from byte {@code offset} on, retrying what is worth retrying. Empty on 404. A 200
   * answer to a range request is skipped forward to the offset.
   */
  private Optional<HttpResponse<InputStream>> send(URI uri, long offset) throws PbsException {
    long backoff = settings.initialBackoff().toMillis();
    PbsException last = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      if (attempt > 1) {
        console.info(
            "Retrying "
                + uri
                + " in "
                + backoff
                + " ms (attempt "
                + attempt
                + " of "
                + settings.attempts()
                + ")");
        sleep(backoff);
        backoff *= 2;
      }
      try {
        HttpResponse<InputStream> response = sendFollowingRedirects(uri, offset);
        int status = response.statusCode();
        if (status == 404 || status == 410) {
          response.body().close();
          return Optional.empty();
        }
        if (status == 200 || status == 206) {
          if (status == 200 && offset > 0) {
            skipFully(response.body(), offset);
          }
          return Optional.of(response);
        }
        response.body().close();
        last = PbsException.failure("HTTP " + status + " from " + uri);
        if (status < 500 && status != 429 && status != 408) {
          throw PbsException.failure(
              "HTTP "
                  + status
                  + " from "
                  + uri
                  + (status == 401 || status == 403
                      ? ". The server refused access: check the token (pbs.token) or the mirror"
                          + " (pbs.mirror)."
                      : "."));
        }
      } catch (javax.net.ssl.SSLHandshakeException e) {
        // Not worth a retry: the same certificate comes back.
        throw PbsException.failure(
            "Cannot download "
                + uri
                + ": the TLS handshake failed ("
                + e.getMessage()
                + "). If the mirror's certificate comes from a private CA, add that CA to the"
                + " JVM's trust store (MAVEN_OPTS=\"-Djavax.net.ssl.trustStore=... "
                + "-Djavax.net.ssl.trustStorePassword=...\"); otherwise check that pbs.mirror"
                + " names the right host.",
            e);
      } catch (IOException e) {
        last =
            PbsException.failure(
                "Cannot download "
                    + uri
                    + ": "
                    + describe(e)
                    + ". Check the network and proxy (Maven settings.xml, HTTPS_PROXY), or"
                    + " fetch from a mirror or a directory holding {date}/{asset} and"
                    + " {date}/SHA256SUMS: -Dpbs.mirror=https://... or -Dpbs.mirror=file:///...",
                e);
      }
    }
    throw last;
  }

  private HttpResponse<InputStream> sendFollowingRedirects(URI uri, long offset)
      throws IOException, PbsException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current).timeout(settings.responseTimeout()).GET();
      if (offset > 0) {
        request.header("Range", "bytes=" + offset + "-");
      }
      if (settings.bearerToken() != null && sameHost(current, uri)) {
        request.header("Authorization", "Bearer " + settings.bearerToken());
      }
      HttpResponse<InputStream> response;
      try {
        response =
            client.send(request.build(), info -> new StallGuardedBody(settings.responseTimeout()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int status = response.statusCode();
      if (status / 100 != 3 || status == 304) {
        return response;
      }
      response.body().close();
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        throw PbsException.failure("HTTP " + status + " without a Location header from " + current);
      }
      current = current.resolve(location.get());
    }
    throw PbsException.failure("Too many redirects (more than " + MAX_REDIRECTS + ") from " + uri);
  }

  private static boolean sameHost(URI a, URI b) {
    return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static void sleep(long millis) throws PbsException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PbsException.failure("Interrupted while waiting to retry", e);
    }
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** A body stream that reopens the transfer where it broke off. */
  private final class ResumingStream extends InputStream {
    private final URI uri;
    private final OptionalLong length;
    private InputStream in;
    private long position;
    private int resumesLeft = settings.resumes();

    ResumingStream(URI uri, InputStream in, OptionalLong length) {
      this.uri = uri;
      this.in = in;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      while (true) {
        try {
          int n = in.read(buffer, offset, count);
          if (n > 0) {
            position += n;
            return n;
          }
          if (n < 0 && length.isPresent() && position < length.getAsLong()) {
            throw new IOException(
                "connection closed after " + position + " of " + length.getAsLong() + " bytes");
          }
          return n;
        } catch (IOException e) {
          if (resumesLeft-- <= 0) {
            throw new IOException(
                "download of " + uri + " broke off at byte " + position + ": " + describe(e), e);
          }
          console.warn(
              "Transfer of "
                  + uri
                  + " broke off at byte "
                  + position
                  + " ("
                  + describe(e)
                  + "); resuming");
          closeQuietly(in);
          try {
            in =
                send(uri, position)
                    .orElseThrow(
                        () -> new IOException(uri + " disappeared (HTTP 404) while resuming"))
                    .body();
          } catch (PbsException pe) {
            throw new IOException(pe.getMessage(), pe);
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | UncheckedIOException ignored) {
      // The stream is already broken; nothing to report.
    }
  }

  /** Chooses the proxy per host, honouring the non-proxy list. */
  private static final class SettingsProxySelector extends ProxySelector {
    private final ProxySettings proxy;

    SettingsProxySelector(ProxySettings proxy) {
      this.proxy = proxy;
    }

    @Override
    public List<Proxy> select(URI uri) {
      if (uri.getHost() == null || proxy.bypasses(uri.getHost())) {
        return List.of(Proxy.NO_PROXY);
      }
      return List.of(
          new Proxy(
              Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      // Retries are handled by the downloader.
    }
  }
}
