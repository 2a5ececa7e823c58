package dev.pbstoolchain.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on 127.0.0.1 serving a directory laid out like GitHub's release downloads
 * ({@code /<date>/<asset>}), with {@code Range} support and injectable faults.
 */
public final class LoopbackServer implements AutoCloseable {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final Path root;
  private final HttpServer server;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();
  private final Map<String, String> targets = new ConcurrentHashMap<>();
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();

  private record Fault(int status, long cutAfter, long stallMillis, AtomicInteger remaining) {}

  private LoopbackServer(Path root, javax.net.ssl.SSLContext tls) throws IOException {
    this.root = root;
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      this.server = HttpServer.create(loopback, 0);
    } else {
      com.sun.net.httpserver.HttpsServer https =
          com.sun.net.httpserver.HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      this.server = https;
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** Serves {@code root}; {@code /a/b} maps to {@code root/a/b}. */
  public static LoopbackServer serve(Path root) throws IOException {
    return new LoopbackServer(root, null);
  }

  /** Serves {@code root} over TLS with the key and certificate of {@code tls}. */
  public static LoopbackServer serveTls(Path root, javax.net.ssl.SSLContext tls)
      throws IOException {
    return new LoopbackServer(root, tls);
  }

  /** The base URL, usable as {@code pbs.mirror}. */
  public String baseUrl() {
    String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code times} requests for {@code path} answer {@code status} with no body. */
  public void failWith(String path, int status, int times) {
    faults.put(path, new Fault(status, -1, 0, new AtomicInteger(times)));
  }

  /** The next {@code times} requests for {@code path} close the connection after some bytes. */
  public void cutAfter(String path, long bytes, int times) {
    faults.put(path, new Fault(0, bytes, 0, new AtomicInteger(times)));
  }

  /** The next {@code times} requests for {@code path} go silent after some bytes for a while. */
  public void stallAfter(String path, long bytes, long millis, int times) {
    faults.put(path, new Fault(0, bytes, millis, new AtomicInteger(times)));
  }

  /** The Authorization header of the last request for a path, or null. */
  public String lastAuthorization(String path) {
    return authorizations.get(path);
  }

  /** The request line's target of the last request for a path (absolute through a proxy). */
  public String lastTarget(String path) {
    return targets.get(path);
  }

  /** How many requests reached {@code path}. */
  public int requestCount(String path) {
    AtomicInteger count = requests.get(path);
    return count == null ? 0 : count.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.put(path, authorization);
      }
      targets.put(path, exchange.getRequestURI().toString());
      Fault fault = faults.get(path);
      boolean faulty = fault != null && fault.remaining().getAndDecrement() > 0;
      if (faulty && fault.status() > 0) {
        exchange.sendResponseHeaders(fault.status(), -1);
        return;
      }
      Path file = root.resolve(path.substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      long start = 0;
      String range = exchange.getRequestHeaders().getFirst("Range");
      if (range != null) {
        Matcher m = RANGE.matcher(range);
        if (m.matches()) {
          start = Long.parseLong(m.group(1));
          exchange
              .getResponseHeaders()
              .set("Content-Range", "bytes " + start + "-" + (size - 1) + "/" + size);
        }
      }
      exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
      boolean cut = faulty && fault.cutAfter() >= 0;
      exchange.sendResponseHeaders(start > 0 ? 206 : 200, size - start);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = exchange.getResponseBody()) {
        in.skipNBytes(start);
        if (cut) {
          out.write(in.readNBytes((int) fault.cutAfter()));
          out.flush();
          if (fault.stallMillis() > 0) {
            sleep(fault.stallMillis());
          }
          // Escaping the handler makes the server drop the connection: the client sees a cut.
          throw new IOException("cut on purpose");
        }
        in.transferTo(out);
      }
    } finally {
      exchange.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Where a path of this server points. */
  public URI uri(String path) {
    return URI.create(baseUrl() + path);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
