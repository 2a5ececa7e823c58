package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.Credentials;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads release files from {@code http(s):} or {@code file:} URLs: follows redirects (refusing
 * loops, downgrades to plain http and other schemes; credentials go to the mirror's own host only),
 * retries 5xx answers, timeouts and failed connections with exponential backoff, and resumes a cut
 * transfer with a {@code Range} request. A {@link TransferWatch} bounds every download in time.
 */
public final class Downloader {

  static final int MAX_REDIRECTS = 10;

  /** The largest text file read (a release's SHA256SUMS is under 1 MB). */
  static final int MAX_TEXT_BYTES = 32 << 20;

  /** Retry-After is honoured up to this long; a longer wait is not worth holding a build for. */
  private static final long MAX_RETRY_AFTER_MILLIS = 10_000;

  private static final String MIRROR_HINT =
      "fetch from a mirror holding {date}/{asset} and {date}/SHA256SUMS: -D"
          + PropertyNames.MIRROR
          + "=https://... or -D"
          + PropertyNames.MIRROR
          + "=file:///...";

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

  /**
   * A body being read.
   *
   * @param stream the bytes (resumed transparently when the connection breaks)
   * @param length the length the server announced, if it did
   * @param contentType the Content-Type the server announced, or empty
   * @param uri where the bytes come from
   */
  public record Body(InputStream stream, OptionalLong length, String contentType, URI uri) {}

  /** A small text file as received, with what the server said it was. */
  public record Text(String text, String contentType, URI uri) {}

  /**
   * The cause of a {@link PbsException} for a server that could not be reached or kept failing
   * (connection refused, timeouts, 5xx on every try): the build may fall back to its cache then.
   */
  static final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Whether {@code e} says the server could not be reached at all. */
  static boolean isUnreachable(PbsException e) {
    return e.getCause() instanceof Unreachable;
  }

  /** Opens {@code uri} for reading; a missing file or HTTP 404 is reported as empty. */
  public Optional<Body> open(URI uri) throws PbsException {
    return open(uri, 0);
  }

  /**
   * Opens {@code uri} from byte {@code offset} on (resuming a partial download). An empty stream
   * means the server has nothing past {@code offset} (HTTP 416): the file is complete.
   */
  Optional<Body> open(URI uri, long offset) throws PbsException {
    if ("file".equals(uri.getScheme())) {
      Path path = Path.of(uri);
      try {
        InputStream in = Files.newInputStream(path);
        in.skipNBytes(Math.min(offset, Files.size(path)));
        return Optional.of(new Body(in, OptionalLong.of(Files.size(path)), "", uri));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw PbsException.failure("Cannot read " + uri + ": " + describe(e), e);
      }
    }
    TransferWatch watch = new TransferWatch(uri, settings, console);
    Optional<Answer> answer = send(uri, offset, watch);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    if (answer.get().nothingLeft()) {
      return Optional.of(new Body(InputStream.nullInputStream(), OptionalLong.of(offset), "", uri));
    }
    HttpResponse<InputStream> response = answer.get().response();
    OptionalLong length = contentLength(response, offset);
    length.ifPresent(watch::length);
    return Optional.of(
        new Body(
            new ResumingStream(uri, response.body(), offset, length, watch),
            length,
            response.headers().firstValue("Content-Type").orElse(""),
            uri));
  }

  /** Reads a small text file (a checksum list); empty when it does not exist. */
  public Optional<Text> readText(URI uri) throws PbsException {
    Optional<Body> body = open(uri);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = body.get().stream()) {
      byte[] bytes = in.readNBytes(MAX_TEXT_BYTES + 1);
      if (bytes.length > MAX_TEXT_BYTES) {
        throw PbsException.failure(
            uri
                + " is larger than "
                + (MAX_TEXT_BYTES >> 20)
                + " MB, which no checksum file is"
                + contentTypeNote(body.get().contentType())
                + ". Check that "
                + PropertyNames.MIRROR
                + " serves python-build-standalone releases.");
      }
      return Optional.of(
          new Text(new String(bytes, StandardCharsets.UTF_8), body.get().contentType(), uri));
    } catch (TransferFailedException e) {
      throw PbsException.failure(
          "Cannot download " + uri + ": " + e.getMessage() + ". " + networkHint(), e);
    } catch (IOException e) {
      throw PbsException.failure("Cannot read " + uri + ": " + describe(e), e);
    }
  }

  /** The outcome of a request that got an answer worth reading. */
  private record Answer(HttpResponse<InputStream> response, boolean nothingLeft) {}

  /**
   * Sends a GET, from byte {@code offset} on, retrying what is worth retrying. Empty on 404. A 200
   * answer to a range request is skipped forward to the offset.
   */
  private Optional<Answer> send(URI uri, long offset, TransferWatch watch) throws PbsException {
    long backoff = settings.initialBackoff().toMillis();
    long started = System.nanoTime();
    String problem = null;
    IOException lastError = null;
    int lastStatus = 0;
    int made = 0;
    String cutShort = "";
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
                + "): "
                + problem);
        sleep(backoff);
        backoff *= 2;
        try {
          watch.idle();
        } catch (TransferWatch.TooSlowException e) {
          // Nothing came for the low-speed time: another try would only prolong the wait.
          cutShort =
              ", then no more: nothing came for "
                  + settings.lowSpeedTime().toSeconds()
                  + " s ("
                  + PropertyNames.LOW_SPEED_TIME
                  + ")";
          break;
        }
      }
      made = attempt;
      try {
        HttpResponse<InputStream> response = sendFollowingRedirects(uri, offset, watch);
        int status = response.statusCode();
        if (status == 404 || status == 410) {
          response.body().close();
          return Optional.empty();
        }
        if (status == 416 && offset > 0) {
          response.body().close();
          return Optional.of(new Answer(response, true));
        }
        if (status == 200 || status == 206) {
          if (status == 200 && offset > 0) {
            response.body().skipNBytes(offset);
          }
          return Optional.of(new Answer(response, false));
        }
        response.body().close();
        if (status == 401 || status == 403) {
          throw refused(uri, response.uri(), status);
        }
        if (status < 500 && status != 429 && status != 408) {
          throw PbsException.failure(
              "HTTP "
                  + status
                  + reason(status)
                  + " from "
                  + uri
                  + ". The mirror ("
                  + PropertyNames.MIRROR
                  + ") does not serve the file as expected: check it, or "
                  + MIRROR_HINT);
        }
        lastStatus = status;
        problem = "HTTP " + status + reason(status);
        backoff = Math.max(backoff, retryAfterMillis(response));
      } catch (javax.net.ssl.SSLHandshakeException e) {
        // Not worth a retry: the same certificate comes back.
        throw PbsException.failure(
            "Cannot download "
                + uri
                + ": the TLS handshake failed ("
                + e.getMessage()
                + "). If the mirror's certificate comes from a private CA, add that CA to the"
                + " JVM's trust store (MAVEN_OPTS=\"-Djavax.net.ssl.trustStore=... "
                + "-Djavax.net.ssl.trustStorePassword=...\"); otherwise check that "
                + PropertyNames.MIRROR
                + " names the right host.",
            e);
      } catch (IOException e) {
        lastStatus = 0;
        lastError = e;
        problem = attemptProblem(e);
      }
    }
    String took = " over " + seconds(System.nanoTime() - started);
    if (lastStatus != 0) {
      throw PbsException.failure(
          "HTTP "
              + lastStatus
              + reason(lastStatus)
              + " from "
              + uri
              + (made == 1 ? " on the one attempt made" : " on each of " + made + " attempts")
              + took
              + cutShort
              + ". The server is failing: try again later, or "
              + MIRROR_HINT,
          new Unreachable(problem, null));
    }
    throw PbsException.failure(
        "Cannot download "
            + uri
            + ": "
            + problem
            + " ("
            + (made == 1 ? "1 attempt" : made + " attempts")
            + took
            + cutShort
            + "). "
            + networkHint(),
        new Unreachable(problem, lastError));
  }

  private HttpResponse<InputStream> sendFollowingRedirects(
      URI uri, long offset, TransferWatch watch) throws IOException, PbsException {
    List<URI> chain = new ArrayList<>(List.of(uri));
    URI current = uri;
    while (true) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(current).timeout(settings.stallTimeout()).GET();
      if (offset > 0) {
        request.header("Range", "bytes=" + offset + "-");
      }
      String authorization = settings.credentials().authorizationHeader();
      if (authorization != null && sameOrigin(current, uri)) {
        request.header("Authorization", authorization);
      }
      HttpResponse<InputStream> response;
      try {
        response =
            client.send(
                request.build(), info -> new StallGuardedBody(settings.stallTimeout(), watch));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (IllegalArgumentException e) {
        throw PbsException.failure("Cannot request " + current + ": " + e.getMessage(), e);
      }
      int status = response.statusCode();
      if (status / 100 != 3 || status == 304) {
        return response;
      }
      response.body().close();
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        throw PbsException.failure(
            "HTTP "
                + status
                + " from "
                + current
                + " redirects nowhere (no Location header). Fix the mirror ("
                + PropertyNames.MIRROR
                + "), or point it at where the files really are.");
      }
      URI next = redirectTarget(current, location.get(), chain);
      chain.add(next);
      if (chain.size() > MAX_REDIRECTS + 1) {
        throw PbsException.failure(
            uri
                + " redirected more than "
                + MAX_REDIRECTS
                + " times ("
                + chainText(chain)
                + "). Fix the mirror's redirects, or set "
                + PropertyNames.MIRROR
                + " to where the files really are.");
      }
      current = next;
    }
  }

  /** Where a redirect leads, refusing loops, other schemes, downgrades and credentials in URLs. */
  private static URI redirectTarget(URI from, String location, List<URI> chain)
      throws PbsException {
    URI next;
    try {
      next = from.resolve(location.strip());
    } catch (IllegalArgumentException e) {
      throw PbsException.failure(
          from + " redirects to '" + location + "', which is not a URL. Fix the mirror.");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw PbsException.failure(
          from
              + " redirects to '"
              + location
              + "', which is not an http(s) URL: refused. Fix the mirror ("
              + PropertyNames.MIRROR
              + ").");
    }
    if (scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme())) {
      throw PbsException.failure(
          from
              + " redirects to plain http ("
              + next
              + "): refused, since the download would no longer be protected by TLS. Fix the"
              + " mirror, or set "
              + PropertyNames.MIRROR
              + " to an https URL that serves the files.");
    }
    if (next.getRawUserInfo() != null) {
      throw PbsException.failure(
          from
              + " redirects to a URL with credentials in it: refused. Fix the mirror ("
              + PropertyNames.MIRROR
              + ").");
    }
    if (chain.contains(next)) {
      List<URI> loop = new ArrayList<>(chain);
      loop.add(next);
      throw PbsException.failure(
          chain.get(0)
              + " redirects in a loop ("
              + chainText(loop)
              + "). Fix the mirror's redirects, or set "
              + PropertyNames.MIRROR
              + " to where the files really are.");
    }
    return next;
  }

  private static String chainText(List<URI> chain) {
    List<String> parts = new ArrayList<>();
    for (URI u : chain) {
      parts.add(u.toString());
    }
    return String.join(" -> ", parts);
  }

  /** 401/403: who was refused, and where credentials are set. */
  private PbsException refused(URI uri, URI answeredBy, int status) {
    Credentials credentials = settings.credentials();
    boolean sent = credentials.isPresent() && sameOrigin(answeredBy, uri);
    String why;
    if (sent) {
      why =
          status == 401
              ? "the server refused "
                  + credentials.describe()
                  + ". Check them there (an encrypted password needs Maven's master password in"
                  + " settings-security.xml)."
              : "the server denied access to "
                  + credentials.describe()
                  + ": that account may not read this path, or the credentials are wrong.";
    } else if (credentials.isPresent()) {
      why =
          "the request was redirected to "
              + answeredBy.getAuthority()
              + ", and "
              + credentials.describe()
              + " only ever goes to "
              + uri.getAuthority()
              + ". Point "
              + PropertyNames.MIRROR
              + " at the host that wants them.";
    } else {
      why = "the server wants credentials and none were sent: " + credentials.source() + ".";
    }
    return PbsException.failure("HTTP " + status + reason(status) + " from " + uri + ": " + why);
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && port(a) == port(b);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static OptionalLong contentLength(HttpResponse<InputStream> response, long offset) {
    OptionalLong length = response.headers().firstValueAsLong("Content-Length");
    if (length.isEmpty()) {
      return length;
    }
    // A 206 announces the rest; a 200 to a range request was skipped forward by offset.
    return OptionalLong.of(
        response.statusCode() == 206 ? length.getAsLong() + offset : length.getAsLong());
  }

  private static long retryAfterMillis(HttpResponse<?> response) {
    Optional<String> value = response.headers().firstValue("Retry-After");
    if (value.isPresent() && value.get().strip().matches("\\d{1,6}")) {
      return Math.min(Long.parseLong(value.get().strip()) * 1000, MAX_RETRY_AFTER_MILLIS);
    }
    return 0;
  }

  static String reason(int status) {
    String text =
        switch (status) {
          case 400 -> "Bad Request";
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 405 -> "Method Not Allowed";
          case 408 -> "Request Timeout";
          case 416 -> "Range Not Satisfiable";
          case 429 -> "Too Many Requests";
          case 500 -> "Internal Server Error";
          case 502 -> "Bad Gateway";
          case 503 -> "Service Unavailable";
          case 504 -> "Gateway Timeout";
          default -> "";
        };
    return text.isEmpty() ? "" : " (" + text + ")";
  }

  static String networkHint() {
    return "Check the network and proxy (Maven settings.xml, HTTPS_PROXY), or " + MIRROR_HINT;
  }

  static String contentTypeNote(String contentType) {
    return contentType == null || contentType.isBlank()
        ? ""
        : " (Content-Type " + contentType + ")";
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static void sleep(long millis) throws PbsException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PbsException.failure("Interrupted while waiting to retry", e);
    }
  }

  /** What one attempt ran into: {@link #describe}, with the length of the timeout it hit. */
  private String attemptProblem(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return within("could not connect", settings.connectTimeout(), PropertyNames.CONNECT_TIMEOUT);
    }
    if (e instanceof HttpTimeoutException) {
      return within("no response", settings.stallTimeout(), PropertyNames.STALL_TIMEOUT);
    }
    return describe(e);
  }

  private static String within(String what, Duration limit, String property) {
    return what + " within " + TransferWatch.duration(limit) + " (" + property + ")";
  }

  /** An I/O failure in words a user can act on (no Java class names when a plain one exists). */
  static String describe(IOException e) {
    String message = e.getMessage();
    if (e instanceof HttpConnectTimeoutException) {
      return "could not connect within the connect timeout (" + PropertyNames.CONNECT_TIMEOUT + ")";
    }
    if (e instanceof HttpTimeoutException) {
      return "no response within the stall timeout (" + PropertyNames.STALL_TIMEOUT + ")";
    }
    if (e instanceof ConnectException) {
      return message == null || message.isBlank() ? "connection refused" : message;
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + message;
    }
    if (e instanceof EOFException) {
      return "the data ends early" + (message == null ? "" : " (" + message + ")");
    }
    if (e instanceof NoSuchFileException) {
      return "no such file " + message;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + message;
    }
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message;
  }

  /** A body stream that reopens the transfer where it broke off. */
  private final class ResumingStream extends BulkInputStream {
    private final URI uri;
    private final OptionalLong length;
    private final TransferWatch watch;
    private InputStream in;
    private long position;
    private int resumesLeft = settings.resumes();
    private boolean ended;

    ResumingStream(URI uri, InputStream in, long offset, OptionalLong length, TransferWatch watch) {
      this.uri = uri;
      this.in = in;
      this.position = offset;
      this.length = length;
      this.watch = watch;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      while (true) {
        if (ended) {
          return -1;
        }
        try {
          int n = in.read(buffer, offset, count);
          if (n > 0) {
            position += n;
            return n;
          }
          if (n < 0 && length.isPresent() && position < length.getAsLong()) {
            throw new EOFException(
                "the connection closed after " + position + " of " + length.getAsLong() + " bytes");
          }
          return n;
        } catch (TransferFailedException e) {
          throw e;
        } catch (IOException | UncheckedIOException e) {
          IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
          resume(cause);
        }
      }
    }

    private void resume(IOException cause) throws IOException {
      if (resumesLeft-- <= 0) {
        throw new TransferFailedException(
            "the transfer broke off "
                + (settings.resumes() + 1)
                + " times, last at byte "
                + position
                + (length.isPresent() ? " of " + length.getAsLong() : "")
                + " ("
                + describe(cause)
                + ")",
            cause);
      }
      console.warn(
          "Transfer of "
              + uri
              + " broke off at byte "
              + position
              + " ("
              + describe(cause)
              + "); resuming");
      closeQuietly(in);
      Optional<Answer> answer;
      try {
        answer = send(uri, position, watch);
      } catch (PbsException pe) {
        throw new TransferFailedException(pe.getMessage(), pe);
      }
      if (answer.isEmpty()) {
        throw new TransferFailedException(uri + " disappeared (HTTP 404) while resuming");
      }
      if (answer.get().nothingLeft()) {
        // The server has no byte past this one: its Content-Length promised more than it has.
        console.warn(
            uri
                + " announced "
                + length.orElse(-1)
                + " bytes but has only "
                + position
                + "; the SHA-256 check decides whether that is the whole file");
        in = InputStream.nullInputStream();
        ended = true;
        return;
      }
      in = answer.get().response().body();
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
