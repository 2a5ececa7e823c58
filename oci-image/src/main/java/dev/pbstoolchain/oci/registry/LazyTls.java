package dev.pbstoolchain.oci.registry;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context ({@link SSLContext#getDefault()}: its trust store, its keys), made
 * only when a connection first speaks TLS. {@code HttpClient.build()} makes the default context at
 * once, which loads the JSSE provider and parses the trust store: about 0.3 s of CPU on a cold JVM,
 * spent for nothing when the registry is one on this machine reached over plain HTTP (the release
 * image's main job, and every test). Since {@link PlainHttp} carries plain HTTP, the JDK's client
 * itself is made only at the first HTTPS request. Host names are still checked: the HTTP client
 * sets the HTTPS endpoint identification on every engine it creates, whatever parameters it was
 * given.
 */
final class LazyTls {

  private LazyTls() {}

  /** A context that hands every call to the default context, made on first use. */
  static SSLContext context() {
    return new SSLContext(new Spi(), null, "Default") {};
  }

  /**
   * The parameters the client starts from: none set, so an engine keeps the default context's
   * protocols and cipher suites. (Asking the lazy context for its defaults would make it.)
   */
  static SSLParameters parameters() {
    return new SSLParameters();
  }

  private static final class Spi extends ForwardingTlsSpi {

    private volatile SSLContext made;

    @Override
    protected SSLContext real() {
      SSLContext context = made;
      if (context == null) {
        try {
          context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("This JVM has no default TLS context: " + e, e);
        }
        made = context;
      }
      return context;
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw new UnsupportedOperationException("the default TLS context is not initialised again");
    }
  }
}
