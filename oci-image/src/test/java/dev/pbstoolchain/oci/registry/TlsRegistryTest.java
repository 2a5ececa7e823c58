package dev.pbstoolchain.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry over HTTPS, reached through the client's lazily made TLS context (LazyTls): it is the
 * JVM's default context, with its trust store and the client's host name check. The server's
 * certificate (keytool, for the name localhost only) is trusted by making a default context that
 * trusts it, as {@code -Djavax.net.ssl.trustStore} would.
 */
class TlsRegistryTest {

  private static final String INDEX =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
          + "\"manifests\":[]}";
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path work;

  private static HttpsServer server;
  private static HttpServer plain;
  private static KeyStore keys;
  private static SSLContext jvmDefault;

  @BeforeAll
  static void startServer() throws Exception {
    Path store = work.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(said).isZero();
    keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/v2/", TlsRegistryTest::answer);
    server.start();
    plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    plain.createContext("/v2/", TlsRegistryTest::answer);
    plain.start();
    jvmDefault = SSLContext.getDefault();
  }

  private static void answer(HttpExchange exchange) throws IOException {
    byte[] body =
        exchange.getRequestURI().getPath().equals("/v2/acme/app/manifests/1.0")
            ? INDEX.getBytes(StandardCharsets.UTF_8)
            : "{}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
    if (plain != null) {
      plain.stop(0);
    }
  }

  @AfterEach
  void restoreDefault() {
    SSLContext.setDefault(jvmDefault);
  }

  private static void trustTheServer() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keys);
    SSLContext trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
    SSLContext.setDefault(trusting);
  }

  private static RegistryClient client(String host) {
    return client(host, server.getAddress().getPort());
  }

  private static RegistryClient client(String host, int port) {
    return RegistryClient.pulling(
        ImageReference.parse(host + ":" + port + "/acme/app:1.0"),
        RegistrySettings.defaults().withDockerConfig(null).withRetries(1, Duration.ofMillis(1)),
        ImageConsole.silent());
  }

  @Test
  void aTrustedRegistryIsReadOverHttps() throws Exception {
    trustTheServer();
    RegistryClient.FetchedManifest index = client("localhost").manifest("1.0");
    assertThat(index.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(index.digest()).isEqualTo(Digest.sha256(INDEX.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aPlainHttpRegistryNeverSetsUpTls() throws Exception {
    // Every use of the default TLS context is counted: a registry on this machine answering plain
    // HTTP must not make the client load the JSSE provider and the trust store (~0.3 s of CPU).
    AtomicInteger used = new AtomicInteger();
    SSLContext.setDefault(new SSLContext(new CountingSpi(jvmDefault, used), null, "TLS") {});
    RegistryClient.FetchedManifest index =
        client("127.0.0.1", plain.getAddress().getPort()).manifest("1.0");
    assertThat(index.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(used).hasValue(0);
  }

  @Test
  void aCertificateForAnotherNameIsRefused() throws Exception {
    trustTheServer();
    // The certificate names localhost, not 127.0.0.1: the client's host name check refuses it.
    assertThatThrownBy(() -> client("127.0.0.1").manifest("1.0"))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("HTTPS")
        .hasRootCauseInstanceOf(java.security.cert.CertificateException.class)
        .rootCause()
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void anUntrustedCertificateIsRefused() {
    // The JVM's own trust store does not hold the test's certificate.
    assertThatThrownBy(() -> client("localhost").manifest("1.0"))
        .isInstanceOf(OciException.class)
        .hasMessageContaining("HTTPS")
        .satisfies(e -> assertThat(hasCause(e, SSLHandshakeException.class)).isTrue());
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Hands every call to {@code real}, counting them. */
  private static final class CountingSpi extends ForwardingTlsSpi {
    private final SSLContext real;
    private final AtomicInteger used;

    CountingSpi(SSLContext real, AtomicInteger used) {
      this.real = real;
      this.used = used;
    }

    @Override
    protected SSLContext real() {
      used.incrementAndGet();
      return real;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      used.incrementAndGet();
    }
  }
}
