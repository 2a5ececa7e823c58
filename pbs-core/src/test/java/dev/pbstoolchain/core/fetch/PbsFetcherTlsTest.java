package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.ServedRelease;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.testing.LocalCPython;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PbsRelease;
import dev.pbstoolchain.testing.Sh;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the lazily built default TLS context: a loopback server whose certificate the JVM's
 * trust store (javax.net.ssl.trustStore) holds is fetched from, with host name checks; one whose
 * certificate it does not hold is refused.
 */
class PbsFetcherTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path work;

  @Test
  void fetchesOverTlsWithTheDefaultTrustAndRefusesAnUnknownCertificate() throws Exception {
    Path trusted = keyPair("trusted");
    Path stranger = keyPair("stranger");
    Path trustStore = work.resolve("trust.p12");
    Path cert = work.resolve("trusted.pem");
    keytool(
        "-exportcert",
        "-alias",
        "loop",
        "-keystore",
        trusted.toString(),
        "-storepass",
        "changeit",
        "-rfc",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "loop",
        "-file",
        cert.toString(),
        "-keystore",
        trustStore.toString(),
        "-storepass",
        "changeit",
        "-storetype",
        "PKCS12");
    // Read when the default context is first built: nothing in this JVM has used TLS before
    // (the fetcher's client no longer builds it up front), so these settings take effect.
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

    PbsRelease release = new PbsRelease(work.resolve("mirror"), ServedRelease.DATE);
    release.add(ServedRelease.ASSET, LocalCPython.installOnly(false));
    release.writeSums();
    try (LoopbackServer good = LoopbackServer.serveTls(release.root(), serverContext(trusted));
        LoopbackServer bad = LoopbackServer.serveTls(release.root(), serverContext(stranger))) {
      assertThat(good.baseUrl()).startsWith("https://");
      FetchedArchive fetched =
          new PbsFetcher(new RecordingConsole()).fetch(request(good, "a")).get(0);
      assertThat(fetched.home().get().resolve("bin/python3.11")).exists();

      assertThatThrownBy(() -> new PbsFetcher(new RecordingConsole()).fetch(request(bad, "b")))
          .isInstanceOf(PbsException.class)
          .hasMessageContaining(bad.baseUrl())
          .hasMessageContaining("the TLS handshake failed")
          .hasMessageContaining("-Djavax.net.ssl.trustStore=");
      assertThat(bad.requestCount("/" + ServedRelease.DATE + "/SHA256SUMS")).isZero();
    }
  }

  private FetchRequest request(LoopbackServer server, String dir) throws PbsException {
    ReleaseSettings settings =
        ReleaseSettings.builder(FrontEnd.MAVEN, work)
            .date(ServedRelease.DATE)
            .version(ServedRelease.VERSION)
            .targets(List.of(ServedRelease.LINUX))
            .mirror(server.baseUrl())
            .cacheDir(work.resolve(dir + "/cache"))
            .outputDir(work.resolve(dir + "/target/pbs"))
            .http(HttpSettings.builder().retries(1, Duration.ofMillis(10)).build())
            .build();
    return Release.load(settings).fetchRequest();
  }

  /** A self-signed EC key for 127.0.0.1, made by the JDK's keytool. */
  private Path keyPair(String name) throws Exception {
    Path store = work.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        "loop",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-storetype",
        "PKCS12");
    return store;
  }

  private static SSLContext serverContext(Path store) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Sh.run(command.toArray(String[]::new)).ok();
  }
}
