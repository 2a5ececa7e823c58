package dev.pbstoolchain.core.fetch;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP(S) proxy, from Maven's settings.xml or, outside Maven, from {@code HTTPS_PROXY} / {@code
 * NO_PROXY}.
 *
 * @param host proxy host
 * @param port proxy port
 * @param username optional user for proxy authentication ({@code null} for none)
 * @param password optional password
 * @param nonProxyHosts host patterns that bypass the proxy ({@code *.example.com}, {@code
 *     localhost})
 */
public record ProxySettings(
    String host, int port, String username, String password, List<String> nonProxyHosts) {

  public ProxySettings {
    nonProxyHosts = List.copyOf(nonProxyHosts);
  }

  /** Reads {@code HTTPS_PROXY}/{@code https_proxy} and {@code NO_PROXY}/{@code no_proxy}. */
  public static Optional<ProxySettings> fromEnvironment(Map<String, String> env) {
    String value = firstNonBlank(env.get("HTTPS_PROXY"), env.get("https_proxy"));
    if (value == null) {
      return Optional.empty();
    }
    URI uri = URI.create(value.contains("://") ? value : "http://" + value);
    String user = null;
    String password = null;
    if (uri.getUserInfo() != null) {
      String[] parts = uri.getUserInfo().split(":", 2);
      user = parts[0];
      password = parts.length > 1 ? parts[1] : "";
    }
    String noProxy = firstNonBlank(env.get("NO_PROXY"), env.get("no_proxy"));
    List<String> bypass =
        noProxy == null
            ? List.of()
            : Arrays.stream(noProxy.split("[,|]"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    return Optional.of(
        new ProxySettings(
            uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), user, password, bypass));
  }

  /** Never the password: settings end up in debug logs and exception messages. */
  @Override
  public String toString() {
    return "ProxySettings[host="
        + host
        + ", port="
        + port
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "***")
        + ", nonProxyHosts="
        + nonProxyHosts
        + "]";
  }

  /** Whether requests to {@code host} go direct (Maven's {@code nonProxyHosts} semantics). */
  public boolean bypasses(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String pattern : nonProxyHosts) {
      String p = pattern.toLowerCase(Locale.ROOT);
      if (p.startsWith("*") && h.endsWith(p.substring(1))) {
        return true;
      }
      if (p.startsWith(".") && h.endsWith(p)) {
        return true;
      }
      if (h.equals(p)) {
        return true;
      }
    }
    return false;
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a.strip();
    }
    return b != null && !b.isBlank() ? b.strip() : null;
  }
}
