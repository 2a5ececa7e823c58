package dev.pbstoolchain.publishing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Serves a directory over HTTP on 127.0.0.1 (a random port) the way a static web server serves a
 * repository: GET and HEAD, Content-Length, Last-Modified, 404. Stopped by close().
 */
public final class LoopbackServer implements AutoCloseable {

  private final HttpServer server;
  private final Path root;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  public LoopbackServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT/} */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The paths asked for so far ("GET /dists/stable/InRelease"). */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = URI.create(exchange.getRequestURI().toString()).getPath();
      requests.add(method + " " + path);
      Path file = root.resolve(path.substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      exchange
          .getResponseHeaders()
          .add(
              "Last-Modified",
              DateTimeFormatter.RFC_1123_DATE_TIME.format(
                  Files.getLastModifiedTime(file).toInstant().atOffset(ZoneOffset.UTC)));
      if (method.equals("HEAD")) {
        exchange.getResponseHeaders().add("Content-Length", Long.toString(size));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(file, out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
