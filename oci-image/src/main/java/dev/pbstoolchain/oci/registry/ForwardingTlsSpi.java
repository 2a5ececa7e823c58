package dev.pbstoolchain.oci.registry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;

/** A TLS context implementation that hands every call but initialisation to {@link #real()}. */
abstract class ForwardingTlsSpi extends SSLContextSpi {

  /** The context the calls go to. */
  protected abstract SSLContext real();

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    return real().getSocketFactory();
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    return real().getServerSocketFactory();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    return real().createSSLEngine();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    return real().createSSLEngine(host, port);
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    return real().getServerSessionContext();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    return real().getClientSessionContext();
  }

  @Override
  protected SSLParameters engineGetDefaultSSLParameters() {
    return real().getDefaultSSLParameters();
  }

  @Override
  protected SSLParameters engineGetSupportedSSLParameters() {
    return real().getSupportedSSLParameters();
  }
}
