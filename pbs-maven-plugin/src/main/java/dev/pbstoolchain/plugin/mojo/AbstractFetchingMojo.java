package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.FetchRequest;
import dev.pbstoolchain.plugin.pbs.HttpSettings;
import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.ProxySettings;
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

  /** A request with this goal's network and cache settings. */
  protected FetchRequest.Builder fetchRequest() throws PbsException {
    return FetchRequest.builder()
        .date(resolvedDate())
        .version(resolvedVersion())
        .mirror(blankToNull(mirror))
        .verifyChecksums(verifyChecksums)
        .offline(offline || session.isOffline())
        .cacheDir(cacheDir.toPath())
        .outputDir(outputDir.toPath())
        .http(httpSettings());
  }

  protected HttpSettings httpSettings() {
    HttpSettings http = HttpSettings.defaults().withBearerToken(blankToNull(token));
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

  protected static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
