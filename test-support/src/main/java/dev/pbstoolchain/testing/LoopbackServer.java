package dev.pbstoolchain.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP/1.1 server on 127.0.0.1 serving a directory laid out like GitHub's release downloads
 * ({@code /<date>/<asset>}), with {@code Range} support, optional authentication, and injected
 * {@link Fault}s. It speaks HTTP over plain sockets so that faults are the network's, not a
 * library's idea of them: a Content-Length that lies, a reset (RST) mid-body, a drip, silence
 * before the headers.
 */
public final class LoopbackServer implements AutoCloseable {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
  private static final int MAX_HEADER_BYTES = 64 << 10;
  private static final int CHUNK = 64 << 10;

  private final Path root;
  private final boolean tls;
  private final ServerSocket socket;
  private final ExecutorService connections =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "loopback-server");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();
  private final Map<String, String> targets = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> lastHeaders = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<Injected>> faults = new ConcurrentHashMap<>();
  private volatile String requiredAuthorization;
  private volatile String challenge;
  private volatile boolean closed;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private record Injected(Fault fault, AtomicInteger remaining) {}

  /** One parsed request. */
  private record Request(String method, String target, String path, Map<String, String> headers) {}

  private LoopbackServer(Path root, SSLContext context) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.tls = context != null;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.socket =
        context == null
            ? new ServerSocket(0, 50, loopback)
            : context.getServerSocketFactory().createServerSocket(0, 50, loopback);
    Thread acceptor = new Thread(this::acceptLoop, "loopback-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Serves {@code root}; {@code /a/b} maps to {@code root/a/b}. */
  public static LoopbackServer serve(Path root) throws IOException {
    return new LoopbackServer(root, null);
  }

  /** Serves {@code root} over TLS with the key and certificate of {@code tls}. */
  public static LoopbackServer serveTls(Path root, SSLContext tls) throws IOException {
    return new LoopbackServer(root, tls);
  }

  /** The base URL, usable as {@code pbs.mirror}. */
  public String baseUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + socket.getLocalPort();
  }

  /** Where a path of this server points. */
  public URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  /**
   * The next {@code times} requests for {@code path} meet {@code fault} (after faults injected
   * earlier for that path are used up). {@link Integer#MAX_VALUE} means every request.
   */
  public <F extends Fault> F inject(String path, F fault, int times) {
    faults
        .computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>())
        .add(new Injected(fault, new AtomicInteger(times)));
    return fault;
  }

  /** Forgets the faults injected for {@code path} that are not used up. */
  public void clearFaults(String path) {
    faults.remove(path);
  }

  /** The next {@code times} requests for {@code path} answer {@code status} with no body. */
  public void failWith(String path, int status, int times) {
    if (times <= 0) {
      clearFaults(path);
      return;
    }
    inject(path, Fault.status(status), times);
  }

  /** The next {@code times} requests for {@code path} close the connection after some bytes. */
  public void cutAfter(String path, long bytes, int times) {
    inject(path, new Fault.CutAfter(bytes, false), times);
  }

  /** The next {@code times} requests for {@code path} go silent after some bytes for a while. */
  public void stallAfter(String path, long bytes, long millis, int times) {
    inject(path, new Fault.StallAfter(bytes, millis), times);
  }

  /**
   * Every request must carry exactly this Authorization header value (e.g. {@code Basic ...} or
   * {@code Bearer ...}); others get 401 with {@code challenge} as WWW-Authenticate.
   */
  public void requireAuthorization(String value, String wwwAuthenticate) {
    this.challenge = wwwAuthenticate;
    this.requiredAuthorization = value;
  }

  /** The Authorization header of the last request for a path, or null. */
  public String lastAuthorization(String path) {
    return authorizations.get(path);
  }

  /** The request line's target of the last request for a path (absolute through a proxy). */
  public String lastTarget(String path) {
    return targets.get(path);
  }

  /** A header (any case) of the last request for a path, or null. */
  public String lastHeader(String path, String name) {
    Map<String, String> headers = lastHeaders.get(path);
    return headers == null ? null : headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Every request so far, in order, as "METHOD /path" (e.g. "GET /dists/stable/InRelease"). */
  public List<String> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** How many requests reached {@code path}. */
  public int requestCount(String path) {
    AtomicInteger count = requests.get(path);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Closing: nothing left to do.
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    connections.shutdownNow();
    try {
      connections.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = socket.accept();
        open.add(client);
        connections.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          sleep(10);
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(30_000);
      Request request = read(client.getInputStream());
      if (request == null) {
        return;
      }
      respond(client, request);
    } catch (IOException | UncheckedIOException e) {
      // The client went away or a fault cut the connection: both are expected here.
    } finally {
      open.remove(client);
    }
  }

  private void respond(Socket client, Request request) throws IOException {
    String path = request.path();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    log.add(request.method() + " " + path);
    String authorization = request.headers().get("authorization");
    if (authorization != null) {
      authorizations.put(path, authorization);
    }
    targets.put(path, request.target());
    lastHeaders.put(path, request.headers());
    OutputStream out = client.getOutputStream();
    String required = requiredAuthorization;
    if (required != null && !required.equals(authorization)) {
      head(out, 401, "Unauthorized", Map.of("WWW-Authenticate", challenge), 0);
      return;
    }
    Fault fault = nextFault(path);
    if (fault instanceof Fault.Status s) {
      head(out, s.status(), reason(s.status()), s.headers(), 0);
      return;
    }
    if (fault instanceof Fault.SilentBeforeHeaders s) {
      sleep(s.millis());
      return;
    }
    if (fault instanceof Fault.Redirect r) {
      head(out, r.status(), reason(r.status()), Map.of("Location", r.location()), 0);
      return;
    }
    if (fault instanceof Fault.Body b) {
      head(out, 200, "OK", Map.of("Content-Type", b.contentType()), b.bytes().length);
      out.write(b.bytes());
      out.flush();
      return;
    }
    Path file = root.resolve(path.substring(1)).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      head(out, 404, "Not Found", Map.of(), 0);
      return;
    }
    long size = Files.size(file);
    long start = 0;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept-Ranges", "bytes");
    headers.put("Content-Type", "application/octet-stream");
    String range = request.headers().get("range");
    Matcher m = range == null ? null : RANGE.matcher(range);
    if (m != null && m.matches()) {
      start = Long.parseLong(m.group(1));
      if (start >= size) {
        head(out, 416, reason(416), Map.of("Content-Range", "bytes */" + size), 0);
        return;
      }
      headers.put("Content-Range", "bytes " + start + "-" + (size - 1) + "/" + size);
    }
    long length = size - start;
    long announced = fault instanceof Fault.WrongLength w ? length + w.delta() : length;
    head(out, start > 0 ? 206 : 200, start > 0 ? "Partial Content" : "OK", headers, announced);
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(start);
      long limit = fault instanceof Fault.WrongLength w && w.delta() < 0 ? announced : length;
      body(client, out, in, limit, fault);
    }
  }

  /** Streams {@code length} bytes of the body, applying the fault on the way. */
  private void body(Socket client, OutputStream out, InputStream in, long length, Fault fault)
      throws IOException {
    long stopAt = Long.MAX_VALUE;
    if (fault instanceof Fault.CutAfter c) {
      stopAt = c.bytes();
    } else if (fault instanceof Fault.StallAfter s) {
      stopAt = s.bytes();
    } else if (fault instanceof Fault.Hold h) {
      stopAt = h.bytes();
    }
    long sent = 0;
    byte[] buffer = new byte[CHUNK];
    long started = System.nanoTime();
    while (sent < length) {
      int want = (int) Math.min(buffer.length, Math.min(length - sent, stopAt - sent));
      if (fault instanceof Fault.Drip d) {
        want = (int) Math.max(1, Math.min(want, d.bytesPerSecond() / 10));
        long due = started + (sent * 1_000_000_000L) / d.bytesPerSecond();
        sleepNanos(due - System.nanoTime());
      }
      if (want > 0) {
        int n = in.read(buffer, 0, want);
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
      }
      if (sent >= stopAt) {
        afterStop(client, out, in, length - sent, fault);
        return;
      }
    }
    out.flush();
  }

  private void afterStop(Socket client, OutputStream out, InputStream in, long rest, Fault fault)
      throws IOException {
    if (fault instanceof Fault.CutAfter c) {
      if (c.reset()) {
        // SO_LINGER 0: close sends RST instead of FIN.
        client.setSoLinger(true, 0);
      }
      client.close();
    } else if (fault instanceof Fault.StallAfter s) {
      sleep(s.millis());
      client.close();
    } else if (fault instanceof Fault.Hold h) {
      h.reached().countDown();
      try {
        while (!closed && !h.released().await(100, TimeUnit.MILLISECONDS)) {
          // Holding the transfer until the test releases it (or stops the server).
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!closed) {
        in.transferTo(out);
        out.flush();
      }
    } else {
      throw new IllegalStateException("no stop for " + fault + " with " + rest + " bytes left");
    }
  }

  private Fault nextFault(String path) {
    ConcurrentLinkedQueue<Injected> queue = faults.get(path);
    if (queue == null) {
      return null;
    }
    for (Injected injected : queue) {
      if (injected.remaining().getAndUpdate(n -> n == Integer.MAX_VALUE ? n : n - 1) > 0) {
        return injected.fault();
      }
    }
    return null;
  }

  private static void head(
      OutputStream out, int status, String reason, Map<String, String> headers, long length)
      throws IOException {
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads the request line and headers (names lower-cased); null if the client sent nothing. */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > MAX_HEADER_BYTES) {
        throw new IOException("request header too large");
      }
    }
    List<String> lines =
        new ArrayList<>(List.of(head.toString(StandardCharsets.ISO_8859_1).split("\r\n")));
    String[] requestLine = lines.remove(0).split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    String target = requestLine.length > 1 ? requestLine[1] : "/";
    return new Request(requestLine[0], target, URI.create(target).getPath(), headers);
  }

  private static String reason(int status) {
    return switch (status) {
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 307 -> "Temporary Redirect";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static void sleep(long millis) {
    sleepNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      // Stopping the server: a socket that will not close is gone anyway.
    }
  }
}
