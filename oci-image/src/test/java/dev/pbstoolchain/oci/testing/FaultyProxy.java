package dev.pbstoolchain.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of a registry that injects faults for requests matching a rule: a status
 * (5xx, 429, a rejection with a registry error body) or a reset (the connection closed without an
 * answer), each a given number of times; everything else is passed through, Location headers
 * rewritten to point back at the proxy.
 */
public final class FaultyProxy implements AutoCloseable {

  /** A fault for the requests whose "METHOD path" matches {@code pattern}. */
  public static final class Fault {
    final String pattern;
    final int status;
    final String body;
    final AtomicInteger remaining;
    final AtomicInteger hits = new AtomicInteger();

    private Fault(String pattern, int status, String body, int times) {
      this.pattern = pattern;
      this.status = status;
      this.body = body;
      this.remaining = new AtomicInteger(times);
    }

    public int hits() {
      return hits.get();
    }
  }

  private static final Set<String> HOP_HEADERS =
      Set.of(
          "connection",
          "content-length",
          "transfer-encoding",
          "host",
          "keep-alive",
          "upgrade",
          "expect");

  private final HttpServer server;
  private final String upstream;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  private FaultyProxy(String upstream) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  /** A proxy for {@code host:port}. */
  public static FaultyProxy to(String upstream) {
    try {
      return new FaultyProxy(upstream);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code status} (with a registry error body when given) {@code times} times. */
  public Fault fail(String pattern, int status, String errorCode, int times) {
    String body =
        errorCode == null
            ? ""
            : "{\"errors\":[{\"code\":\""
                + errorCode
                + "\",\"message\":\"injected by the test\"}]}";
    Fault fault = new Fault(pattern, status, body, times);
    faults.add(fault);
    return fault;
  }

  /** Closes the connection without an answer {@code times} times. */
  public Fault reset(String pattern, int times) {
    Fault fault = new Fault(pattern, -1, "", times);
    faults.add(fault);
    return fault;
  }

  /** Every request that came through, as "METHOD path". */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    seen.add(request);
    for (Fault fault : faults) {
      if (request.matches(fault.pattern) && fault.remaining.getAndDecrement() > 0) {
        fault.hits.incrementAndGet();
        try (InputStream in = exchange.getRequestBody()) {
          in.readNBytes(1024);
        }
        if (fault.status < 0) {
          exchange.close();
          return;
        }
        byte[] body = fault.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(fault.status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
        exchange.close();
        return;
      }
    }
    forward(exchange);
  }

  private void forward(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://" + upstream + exchange.getRequestURI()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(v -> builder.header(name, v));
              }
            });
    HttpResponse<byte[]> response;
    try {
      response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                for (String v : values) {
                  exchange.getResponseHeaders().add(name, v.replace(upstream, address()));
                }
              }
            });
    byte[] answer = response.body();
    boolean head = exchange.getRequestMethod().equals("HEAD");
    long length = head ? -1 : answer.length == 0 ? -1 : answer.length;
    if (head) {
      response
          .headers()
          .firstValue("Content-Length")
          .ifPresent(l -> exchange.getResponseHeaders().set("Content-Length", l));
    }
    exchange.sendResponseHeaders(response.statusCode(), length);
    if (!head && answer.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
