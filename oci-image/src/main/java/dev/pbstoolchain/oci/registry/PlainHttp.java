package dev.pbstoolchain.oci.registry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain HTTP/1.1 (RFC 9112) over blocking sockets, connections kept open between requests: how a
 * registry is reached over plain HTTP (one on this machine, or one allowed with
 * pbs.image.allowHttp). It costs a few classes where the JDK's HTTP client loads some three
 * hundred, starts threads and compiles its asynchronous machinery, which was most of what pushing
 * to a loopback registry added to a build (issue #22). Answers are framed by Content-Length,
 * chunked transfer coding or the end of the connection; a connection goes back to the pool only
 * when its answer was read to the end. Kept connections carry requests without a body; a request
 * with one (an upload, a manifest) opens its own, so that a failure in the middle of it is the
 * caller's to handle (an upload resumes from what the registry kept), never replayed here.
 */
final class PlainHttp implements HttpTransport {

  private static final int HEAD_LIMIT = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MS = 20_000;
  private static final long IDLE_NANOS = Duration.ofSeconds(30).toNanos();

  private final Map<String, Deque<Connection>> idle = new HashMap<>();

  @Override
  public RegistryResponse send(
      String method, URI uri, Map<String, String> headers, RequestBody body, Duration timeout)
      throws IOException {
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("not a plain HTTP URL: " + uri);
    }
    headers.forEach(PlainHttp::checkHeader);
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String authority = uri.getHost() + ":" + port;
    while (true) {
      // A request with a body goes on a new connection: if it fails, the caller decides (an
      // upload resumes from what the registry kept); only bodiless requests are sent again here.
      Connection connection = body.length() > 0 ? null : reuse(authority);
      boolean reused = connection != null;
      if (connection == null) {
        connection = Connection.open(uri.getHost(), port);
      }
      try {
        connection.socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.write(method, uri, headers, body);
        return connection.read(method, uri, this, authority);
      } catch (IOException e) {
        connection.close();
        // A kept connection the server closed meanwhile: the request never reached it, so it is
        // sent again on a new one (as browsers and the JDK's client do), once per kept connection.
        if (reused && !connection.answered && !(e instanceof SocketTimeoutException)) {
          continue;
        }
        throw e;
      }
    }
  }

  /** Header names and values never carry a line break: no request can be smuggled in. */
  private static void checkHeader(String name, String value) {
    boolean bad = name.isEmpty();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      bad |= c <= ' ' || c == ':' || c >= 0x7f;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      bad |= c == '\r' || c == '\n';
    }
    if (bad) {
      throw new IllegalArgumentException("a header that HTTP cannot carry: " + name);
    }
  }

  private Connection reuse(String authority) {
    synchronized (idle) {
      Deque<Connection> kept = idle.get(authority);
      while (kept != null && !kept.isEmpty()) {
        Connection connection = kept.pollFirst();
        if (System.nanoTime() - connection.idleSince < IDLE_NANOS) {
          return connection;
        }
        connection.close();
      }
      return null;
    }
  }

  private void keep(String authority, Connection connection) {
    connection.idleSince = System.nanoTime();
    synchronized (idle) {
      idle.computeIfAbsent(authority, a -> new ArrayDeque<>()).addFirst(connection);
    }
  }

  /** One TCP connection: requests written, answers read, one at a time. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean answered;
    long idleSince;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    static Connection open(String host, int port) throws IOException {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return new Connection(socket);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }

    void write(String method, URI uri, Map<String, String> headers, RequestBody body)
        throws IOException {
      answered = false;
      StringBuilder head = new StringBuilder(256);
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      head.append(method).append(' ').append(path);
      if (uri.getRawQuery() != null) {
        head.append('?').append(uri.getRawQuery());
      }
      // Host is the URL's host and port only: a user name in the URL never goes out here.
      head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
      if (uri.getPort() >= 0) {
        head.append(':').append(uri.getPort());
      }
      head.append("\r\n");
      for (Map.Entry<String, String> header : headers.entrySet()) {
        head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      }
      boolean hasBody = body.length() > 0;
      if (hasBody || !(method.equals("GET") || method.equals("HEAD"))) {
        head.append("Content-Length: ").append(body.length()).append("\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (hasBody) {
        long sent;
        try (InputStream content = body.open()) {
          sent = content.transferTo(new Bounded(out, body.length()));
        }
        if (sent != body.length()) {
          throw new IOException(
              "the request body ended after " + sent + " of " + body.length() + " bytes");
        }
      }
      out.flush();
    }

    RegistryResponse read(String method, URI uri, PlainHttp pool, String authority)
        throws IOException {
      while (true) {
        String statusLine = line();
        answered = true;
        // HTTP/1.1 200 OK
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
          throw new IOException("not an HTTP answer: " + abbreviated(statusLine));
        }
        int status;
        try {
          status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
          throw new IOException("not an HTTP status: " + abbreviated(statusLine));
        }
        Map<String, List<String>> headers = headers();
        if (status >= 100 && status < 200) {
          continue; // 100 Continue and the like come before the answer
        }
        boolean keepAlive =
            statusLine.startsWith("HTTP/1.1")
                && !first(headers, "connection").toLowerCase(Locale.ROOT).contains("close");
        InputStream body;
        if (method.equals("HEAD") || status == 204 || status == 304) {
          body = InputStream.nullInputStream();
        } else if (first(headers, "transfer-encoding")
            .toLowerCase(Locale.ROOT)
            .contains("chunked")) {
          body = new Chunked(in);
        } else if (!first(headers, "content-length").isEmpty()) {
          long length;
          try {
            length = Long.parseLong(first(headers, "content-length").strip());
          } catch (NumberFormatException e) {
            throw new IOException("a bad Content-Length: " + first(headers, "content-length"));
          }
          if (length < 0) {
            throw new IOException("a bad Content-Length: " + length);
          }
          body = new Limited(in, length);
        } else {
          body = in; // until the server closes the connection
          keepAlive = false;
        }
        return new RegistryResponse(
            method, uri, status, headers, new Body(body, keepAlive, pool, authority, this));
      }
    }

    private Map<String, List<String>> headers() throws IOException {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      int total = 0;
      String line;
      while (!(line = line()).isEmpty()) {
        total += line.length();
        if (total > HEAD_LIMIT) {
          throw new IOException("the answer's headers are over " + HEAD_LIMIT + " bytes");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IOException("a malformed header line: " + abbreviated(line));
        }
        headers
            .computeIfAbsent(
                line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(line.substring(colon + 1).strip());
      }
      return headers;
    }

    private static String first(Map<String, List<String>> headers, String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** One line without its CRLF (or bare LF). */
    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream(128);
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new EOFException(
              answered
                  ? "the connection closed in the middle of the answer's headers"
                  : "the server closed the connection without answering");
        }
        if (line.size() >= HEAD_LIMIT) {
          throw new IOException("a header line over " + HEAD_LIMIT + " bytes");
        }
        line.write(b);
      }
      byte[] bytes = line.toByteArray();
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\r') {
        length--;
      }
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviated(String text) {
      return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Nothing to save.
      }
    }
  }

  /** An answer's body: the connection is kept when the body was read to its end, else closed. */
  /** A stream read in blocks: its single-byte read goes through the block read. */
  private abstract static class BulkInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  private static final class Body extends BulkInput {
    private final InputStream framed;
    private final boolean keepAlive;
    private final PlainHttp pool;
    private final String authority;
    private final Connection connection;
    private boolean ended;
    private boolean closed;

    Body(
        InputStream framed,
        boolean keepAlive,
        PlainHttp pool,
        String authority,
        Connection connection) {
      this.framed = framed;
      this.keepAlive = keepAlive;
      this.pool = pool;
      this.authority = authority;
      this.connection = connection;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the answer's body is closed");
      }
      if (ended) {
        return -1;
      }
      int n = framed.read(b, off, len);
      if (n < 0) {
        ended = true;
      }
      return n;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (!ended && framed != connection.in) {
        // A short rest (an error text nobody read) is read, so the connection can be kept.
        try {
          byte[] rest = new byte[8192];
          for (int i = 0; i < 8 && !ended; i++) {
            ended = framed.read(rest) < 0;
          }
        } catch (IOException e) {
          ended = false;
        }
      }
      if (ended && keepAlive) {
        pool.keep(authority, connection);
      } else {
        connection.close();
      }
    }
  }

  /** Exactly {@code length} bytes of the stream; fewer is a broken answer. */
  private static final class Limited extends BulkInput {
    private final InputStream in;
    private long left;

    Limited(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the connection closed " + left + " bytes before the answer's end");
      }
      left -= n;
      return n;
    }
  }

  /** The chunked transfer coding (RFC 9112 section 7.1); trailers are read and dropped. */
  private static final class Chunked extends BulkInput {
    private final InputStream in;
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        left = nextSize();
        if (left == 0) {
          while (!asciiLine().isEmpty()) {
            // trailer fields
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the connection closed inside a chunk of the answer");
      }
      left -= n;
      if (left == 0) {
        asciiLine(); // the CRLF after the chunk's data
      }
      return n;
    }

    private long nextSize() throws IOException {
      String line = asciiLine();
      int semicolon = line.indexOf(';');
      String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
      if (hex.isEmpty() || hex.length() > 15) {
        throw new IOException("a bad chunk size: " + hex);
      }
      try {
        return Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("a bad chunk size: " + hex);
      }
    }

    private String asciiLine() throws IOException {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new EOFException("the connection closed inside the chunked answer");
        }
        if (line.length() > 4096) {
          throw new IOException("a chunk line over 4096 bytes");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  /** Writes at most {@code limit} bytes: a file that grew does not corrupt the connection. */
  private static final class Bounded extends OutputStream {
    private final OutputStream out;
    private long left;

    Bounded(OutputStream out, long limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) {
        throw new IOException("the request body is longer than the " + left + " bytes announced");
      }
      out.write(b, off, len);
      left -= len;
    }
  }
}
