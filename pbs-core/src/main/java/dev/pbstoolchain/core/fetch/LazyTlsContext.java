package dev.pbstoolchain.core.fetch;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context, built on first TLS use. The HTTP client builds its context when it
 * is created, and building the default one parses the trust store: ~0.3 s and ~400 classes that an
 * {@code http:} or {@code file:} mirror never needs. Trust, protocols and cipher suites are the
 * default context's own; the client still verifies host names.
 */
final class LazyTlsContext extends SSLContext {

  /** Client parameters that leave the engine's defaults in place (null cipher suites). */
  static SSLParameters parameters() {
    return new SSLParameters(null, new String[] {"TLSv1.3", "TLSv1.2"});
  }

  LazyTlsContext() {
    super(new Spi(), null, "Default");
  }

  private static final class Spi extends SSLContextSpi {
    private volatile SSLContext delegate;

    private SSLContext delegate() {
      SSLContext context = delegate;
      if (context == null) {
        try {
          context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("no default TLS context in this JVM", e);
        }
        delegate = context;
      }
      return context;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException("the default TLS context is initialized by the JDK");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return delegate().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return delegate().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate().getSupportedSSLParameters();
    }
  }
}
