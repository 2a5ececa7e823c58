package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.FetchRequest;
import dev.pbstoolchain.plugin.pbs.FetchedArchive;
import dev.pbstoolchain.plugin.pbs.Flavors;
import dev.pbstoolchain.plugin.pbs.HttpSettings;
import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.PbsFetcher;
import dev.pbstoolchain.plugin.pbs.ProxySettings;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Proxy;

/**
 * Resolves, downloads, verifies, caches and unpacks python-build-standalone for every target, and
 * sets {@code pbs.<triple>.home} to each unpacked Python home.
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class FetchMojo extends AbstractPbsMojo {

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  /** Flavour: {@code install_only_stripped} (default), {@code install_only}, {@code *-full}... */
  @Parameter(property = PropertyNames.FLAVOR, defaultValue = Flavors.DEFAULT)
  private String flavor;

  /** Base URL replacing GitHub's releases URL: {@code {mirror}/{date}/{asset}}. */
  @Parameter(property = PropertyNames.MIRROR)
  private String mirror;

  /** A pinned SHA-256 for a single target, checked instead of the release's SHA256SUMS. */
  @Parameter(property = PropertyNames.SHA256)
  private String sha256;

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

  /** Where archives are unpacked, one directory per triple. */
  @Parameter(property = "pbs.outputDir", defaultValue = "${project.build.directory}/pbs")
  private File outputDir;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.FETCH_SKIP, defaultValue = "false")
  private boolean skipFetch;

  @Override
  protected boolean skipGoal() {
    return skipFetch;
  }

  @Override
  protected String goal() {
    return "pbs:fetch";
  }

  @Override
  protected void run() throws PbsException {
    FetchRequest request =
        FetchRequest.builder()
            .date(resolvedDate())
            .version(resolvedVersion())
            .triples(resolvedTriples())
            .flavor(flavor)
            .mirror(blankToNull(mirror))
            .pinnedSha256(blankToNull(sha256))
            .verifyChecksums(verifyChecksums)
            .offline(offline || session.isOffline())
            .cacheDir(cacheDir.toPath())
            .outputDir(outputDir.toPath())
            .http(httpSettings())
            .build();
    List<FetchedArchive> fetched = new PbsFetcher(new MavenConsole(getLog())).fetch(request);
    for (FetchedArchive archive : fetched) {
      String triple = archive.resolved().asset().triple();
      archive
          .home()
          .ifPresent(
              home -> {
                project.getProperties().setProperty(PropertyNames.home(triple), home.toString());
                getLog().info(PropertyNames.home(triple) + " = " + home);
              });
    }
  }

  private HttpSettings httpSettings() {
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

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
