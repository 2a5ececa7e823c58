package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.testing.DockerRegistry;
import dev.pbstoolchain.oci.testing.RecordingConsole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain HTTP client: answers framed by Content-Length, chunks or none (HEAD, 204), one
 * connection kept for many requests, a kept connection the server closed replaced without the
 * caller seeing it, an unread body never leaking into the next answer; and a push to a real
 * loopback registry that never makes the JDK's client (the cost issue #22 removed).
 */
class PlainHttpTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path work;

  /**
   * A server that answers each request (its request line) with the bytes {@code answer} gives; an
   * answer starting with {@code !} closes the connection after it, a null one without any.
   */
  static final class Scripted implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> heads = new CopyOnWriteArrayList<>();

    Scripted(Function<String, String> answer) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accepting =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread serving = new Thread(() -> serve(socket, answer));
                    serving.setDaemon(true);
                    serving.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accepting.setDaemon(true);
      accepting.start();
    }

    private void serve(Socket socket, Function<String, String> answer) {
      try (socket) {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        while (true) {
          String head = head(in);
          if (head == null) {
            return;
          }
          heads.add(head);
          String requestLine = head.substring(0, head.indexOf("\r\n"));
          int length = 0;
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).strip());
            }
          }
          String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
          requests.add(requestLine + (body.isEmpty() ? "" : " " + body));
          String reply = answer.apply(requestLine);
          if (reply == null) {
            return;
          }
          boolean last = reply.startsWith("!");
          out.write(reply.substring(last ? 1 : 0).getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (last) {
            return;
          }
        }
      } catch (IOException e) {
        // The client went away.
      }
    }

    private static String head(InputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        bytes.write(b);
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r\n\r\n")) {
          return text;
        }
      }
      return null;
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private static String text(RegistryResponse response) throws IOException {
    try (InputStream in = response.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static RegistryResponse get(PlainHttp http, URI uri) throws IOException {
    return http.send("GET", uri, Map.of(), RequestBody.empty(), TIMEOUT);
  }

  @Test
  void answersOfEveryFramingOverOneKeptConnection() throws Exception {
    try (Scripted server =
        new Scripted(
            request ->
                switch (request.split(" ")[1]) {
                  case "/length" -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
                  case "/chunked" ->
                      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nLocation: /x\r\n\r\n"
                          + "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nTrailer: t\r\n\r\n";
                  case "/head" -> "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n";
                  default -> "HTTP/1.1 204 No Content\r\n\r\n";
                })) {
      PlainHttp http = new PlainHttp();
      RegistryResponse length = get(http, server.uri("/length"));
      assertThat(length.status()).isEqualTo(200);
      assertThat(text(length)).isEqualTo("hello");
      RegistryResponse chunked = get(http, server.uri("/chunked"));
      assertThat(chunked.status()).isEqualTo(201);
      assertThat(chunked.header("LOCATION")).contains("/x");
      assertThat(text(chunked)).isEqualTo("abcdefg");
      RegistryResponse head =
          http.send("HEAD", server.uri("/head"), Map.of(), RequestBody.empty(), TIMEOUT);
      assertThat(head.header("Content-Length")).contains("1234");
      assertThat(text(head)).isEmpty();
      RegistryResponse put =
          http.send(
              "PUT",
              server.uri("/none?digest=sha256:1"),
              Map.of("Content-Type", "application/octet-stream"),
              RequestBody.of("body".getBytes(StandardCharsets.UTF_8)),
              TIMEOUT);
      assertThat(put.status()).isEqualTo(204);
      assertThat(text(put)).isEmpty();
      URI withUser =
          URI.create("http://user:secret@127.0.0.1:" + server.server.getLocalPort() + "/length");
      assertThat(text(get(http, withUser))).isEqualTo("hello");
      assertThat(server.heads.get(4))
          .contains("Host: 127.0.0.1:" + server.server.getLocalPort() + "\r\n")
          .doesNotContain("secret");
      // The PUT, which has a body, went on a connection of its own, kept afterwards.
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.requests)
          .containsExactly(
              "GET /length HTTP/1.1",
              "GET /chunked HTTP/1.1",
              "HEAD /head HTTP/1.1",
              "PUT /none?digest=sha256:1 HTTP/1.1 body",
              "GET /length HTTP/1.1");
      assertThat(server.heads.get(3))
          .contains("Host: 127.0.0.1:" + server.server.getLocalPort() + "\r\n")
          .contains("Content-Type: application/octet-stream\r\n")
          .contains("Content-Length: 4\r\n");
    }
  }

  @Test
  void aKeptConnectionTheServerClosedIsReplaced() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    try (Scripted server =
        new Scripted(
            request ->
                answered.incrementAndGet() % 2 == 1
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    : null)) {
      PlainHttp http = new PlainHttp();
      assertThat(text(get(http, server.uri("/1")))).isEqualTo("ok");
      // The kept connection is closed by the server at the next request: sent again on a new one.
      assertThat(text(get(http, server.uri("/2")))).isEqualTo("ok");
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.requests)
          .containsExactly("GET /1 HTTP/1.1", "GET /2 HTTP/1.1", "GET /2 HTTP/1.1");
    }
  }

  @Test
  void aRequestWithABodyIsNeverSentTwice() throws Exception {
    try (Scripted server =
        new Scripted(
            request ->
                request.startsWith("GET")
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    : null)) {
      PlainHttp http = new PlainHttp();
      assertThat(text(get(http, server.uri("/kept")))).isEqualTo("ok");
      // The server takes the upload and drops the connection without answering: the caller hears
      // of it (and resumes from what the registry kept); the bytes are not sent again here.
      assertThatThrownBy(
              () ->
                  http.send(
                      "PATCH",
                      server.uri("/upload"),
                      Map.of(),
                      RequestBody.of("chunk".getBytes(StandardCharsets.UTF_8)),
                      TIMEOUT))
          .isInstanceOf(IOException.class)
          .hasMessage("the server closed the connection without answering");
      assertThat(server.requests)
          .containsExactly("GET /kept HTTP/1.1", "PATCH /upload HTTP/1.1 chunk");
    }
  }

  @Test
  void anUnframedBodyRunsToTheEndOfItsConnection() throws Exception {
    try (Scripted server = new Scripted(request -> "!HTTP/1.0 200 OK\r\n\r\nall of it")) {
      PlainHttp http = new PlainHttp();
      assertThat(text(get(http, server.uri("/1")))).isEqualTo("all of it");
      assertThat(text(get(http, server.uri("/2")))).isEqualTo("all of it");
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void aNewConnectionClosedWithoutAnAnswerIsAnError() throws Exception {
    try (Scripted server = new Scripted(request -> null)) {
      assertThatThrownBy(() -> get(new PlainHttp(), server.uri("/")))
          .isInstanceOf(IOException.class)
          .hasMessage("the server closed the connection without answering");
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void anUnreadBodyNeverLeaksIntoTheNextAnswer() throws Exception {
    String big = "x".repeat(200_000);
    try (Scripted server =
        new Scripted(
            request ->
                request.contains("/big")
                    ? "HTTP/1.1 200 OK\r\nContent-Length: " + big.length() + "\r\n\r\n" + big
                    : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsmall")) {
      PlainHttp http = new PlainHttp();
      RegistryResponse first = get(http, server.uri("/big"));
      try (InputStream in = first.body()) {
        assertThat(in.readNBytes(10)).hasSize(10);
      }
      assertThat(text(get(http, server.uri("/small")))).isEqualTo("small");
      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  void aShortBodyIsABrokenAnswer() throws Exception {
    try (Scripted server =
        new Scripted(request -> "!HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")) {
      RegistryResponse response = get(new PlainHttp(), server.uri("/"));
      assertThatThrownBy(() -> text(response))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("the connection closed 7 bytes before the answer's end");
    }
  }

  @Test
  void headersThatWouldSplitTheRequestAreRefused() {
    assertThatThrownBy(
            () ->
                new PlainHttp()
                    .send(
                        "GET",
                        URI.create("http://127.0.0.1:9/"),
                        Map.of("X-Evil", "a\r\nHost: elsewhere"),
                        RequestBody.empty(),
                        TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a header that HTTP cannot carry: X-Evil");
  }

  @Test
  void aPushToALoopbackRegistryNeverMakesTheJdkClient() throws Exception {
    Path blobFile = work.resolve("blob");
    byte[] bytes = "a layer's bytes\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
    Files.write(blobFile, bytes);
    Descriptor blob =
        new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(bytes), (long) bytes.length);
    AtomicInteger httpsClients = new AtomicInteger();
    try (DockerRegistry registry = DockerRegistry.start(work.resolve("registry"))) {
      RegistryClient client =
          RegistryClient.pushing(
              ImageReference.parse(registry.address() + "/acme/plain"),
              Set.of(),
              RegistrySettings.defaults().withDockerConfig(null),
              new RecordingConsole(),
              () -> {
                httpsClients.incrementAndGet();
                return new JdkHttp();
              });
      assertThat(client.hasBlob(blob)).isFalse();
      client.upload(blob, blobFile);
      assertThat(client.hasBlob(blob)).isTrue();
      Path back = work.resolve("back");
      client.downloadBlob(blob, back);
      assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
      assertThat(client.manifestDigest("latest")).isEmpty();
    }
    assertThat(httpsClients.get()).isZero();
  }
}
