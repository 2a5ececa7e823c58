package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.fetch.HttpSettings;
import dev.pbstoolchain.core.fetch.ProxySettings;
import dev.pbstoolchain.core.release.ReleaseSettings;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Proxy;

/** Goals that download from the PBS release (or its mirror): network and cache settings. */
abstract class AbstractFetchingMojo extends AbstractPbsMojo {

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  /** Base URL replacing GitHub's releases URL: {@code {mirror}/{date}/{asset}}. */
  @Parameter(property = PropertyNames.MIRROR)
  private String mirror;

  /** Turning this off skips SHA-256 verification; logged loudly and never cached. */
  @Parameter(property = PropertyNames.VERIFY_CHECKSUMS, defaultValue = "true")
  private boolean verifyChecksums;

  /** Use the cache only, as {@code mvn -o} does. */
  @Parameter(property = PropertyNames.OFFLINE, defaultValue = "false")
  private boolean offline;

  /** Bearer token sent to the mirror's host (e.g. an internal artifact server). */
  @Parameter(property = PropertyNames.TOKEN)
  private String token;

  /** The archive cache, shared by every build on the machine. */
  @Parameter(
      property = PropertyNames.CACHE_DIR,
      defaultValue = "${settings.localRepository}/.cache/pbs")
  private File cacheDir;

  @Override
  protected ReleaseSettings.Builder settings() {
    return super.settings()
        .mirror(mirror)
        .verifyChecksums(verifyChecksums)
        .offline(offline || session.isOffline())
        .cacheDir(cacheDir.toPath())
        .http(httpSettings());
  }

  /** Maven's active proxy (settings.xml), else HTTPS_PROXY/NO_PROXY; the token for the mirror. */
  private HttpSettings httpSettings() {
    HttpSettings http =
        HttpSettings.defaults()
            .withBearerToken(token == null || token.isBlank() ? null : token.strip());
    Proxy proxy = session.getSettings() == null ? null : session.getSettings().getActiveProxy();
    if (proxy != null) {
      List<String> bypass =
          proxy.getNonProxyHosts() == null
              ? List.of()
              : Arrays.stream(proxy.getNonProxyHosts().split("\\|"))
                  .map(String::strip)
                  .filter(s -> !s.isEmpty())
                  .toList();
      return http.withProxy(
          new ProxySettings(
              proxy.getHost(), proxy.getPort(), proxy.getUsername(), proxy.getPassword(), bypass));
    }
    return ProxySettings.fromEnvironment(System.getenv()).map(http::withProxy).orElse(http);
  }
}
