package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.Credentials;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.fetch.HttpSettings;
import dev.pbstoolchain.core.fetch.ProxySettings;
import dev.pbstoolchain.core.release.ReleaseSettings;
import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Goals that download from the PBS release (or its mirror): network, credentials and cache
 * settings. Credentials come from a settings.xml {@code <server>} ({@code pbs.serverId}), read at
 * run time through {@link SettingsServers}: no secret is a parameter, since {@code mvn -X} prints
 * parameters.
 */
abstract class AbstractFetchingMojo extends AbstractPbsMojo {

  /** Where a mirror's credentials are looked up when pbs.serverId is not set. */
  static final String DEFAULT_SERVER_ID = "pbs-mirror";

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Component private SettingsDecrypter decrypter;

  // <code>, not {@code ...}: the goal pages and pbs:help end {@code at the first closing brace.
  /** Base URL replacing GitHub's releases URL: <code>{mirror}/{date}/{asset}</code>. */
  @Parameter(property = PropertyNames.MIRROR)
  private String mirror;

  /**
   * The settings.xml {@code <server>} holding the mirror's credentials (default {@code
   * pbs-mirror}): {@code <username>} and {@code <password>} for Basic authentication, or only a
   * {@code <password>} for a bearer token. Encrypted passwords ({@code mvn --encrypt-password}) are
   * decrypted with Maven's master password. Sent to the mirror's host only.
   */
  @Parameter(property = PropertyNames.SERVER_ID)
  private String serverId;

  /** Turning this off skips SHA-256 verification; logged loudly and never cached. */
  @Parameter(property = PropertyNames.VERIFY_CHECKSUMS, defaultValue = "true")
  private boolean verifyChecksums;

  /** Use the cache only, as {@code mvn -o} does. */
  @Parameter(property = PropertyNames.OFFLINE, defaultValue = "false")
  private boolean offline;

  /** When the mirror cannot be reached but the cache holds everything, use it (with a warning). */
  @Parameter(property = PropertyNames.OFFLINE_FALLBACK, defaultValue = "false")
  private boolean offlineFallback;

  /** Seconds allowed to connect to the mirror. */
  @Parameter(property = PropertyNames.CONNECT_TIMEOUT, defaultValue = "10")
  private int connectTimeout;

  /** Seconds to wait for a response, or for the next byte of one, before retrying or resuming. */
  @Parameter(property = PropertyNames.STALL_TIMEOUT, defaultValue = "20")
  private int stallTimeout;

  /**
   * Bytes per second below which a download counts as too slow (as curl's {@code --speed-limit}); 0
   * turns the check off.
   */
  @Parameter(property = PropertyNames.LOW_SPEED_LIMIT, defaultValue = "10240")
  private long lowSpeedLimit;

  /** Seconds a download may stay below pbs.lowSpeedLimit before it fails (curl's --speed-time). */
  @Parameter(property = PropertyNames.LOW_SPEED_TIME, defaultValue = "30")
  private int lowSpeedTime;

  /** How large an archive may unpack, e.g. {@code 2g}: a larger one is refused as a bomb. */
  @Parameter(property = PropertyNames.MAX_UNPACKED_SIZE, defaultValue = "1g")
  private String maxUnpackedSize;

  /** How many entries an archive may have. */
  @Parameter(property = PropertyNames.MAX_UNPACKED_ENTRIES, defaultValue = "100000")
  private String maxUnpackedEntries;

  /** The archive cache, shared by every build on the machine. */
  @Parameter(
      property = PropertyNames.CACHE_DIR,
      defaultValue = "${settings.localRepository}/.cache/pbs")
  private File cacheDir;

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings()
        .mirror(mirror)
        .verifyChecksums(verifyChecksums)
        .offline(offline || session.isOffline())
        .offlineFallback(offlineFallback)
        .maxUnpackedSize(maxUnpackedSize)
        .maxUnpackedEntries(maxUnpackedEntries)
        .cacheDir(cacheDir.toPath())
        .http(httpSettings());
  }

  /** Timeouts, the mirror's credentials, and Maven's active proxy (else HTTPS_PROXY/NO_PROXY). */
  private HttpSettings httpSettings() throws MojoFailureException {
    HttpSettings.Builder http =
        HttpSettings.builder()
            .timeouts(Duration.ofSeconds(connectTimeout), Duration.ofSeconds(stallTimeout))
            .lowSpeed(lowSpeedLimit, Duration.ofSeconds(lowSpeedTime))
            .credentials(credentials());
    Optional<Proxy> proxy = SettingsServers.activeProxy(session, decrypter);
    if (proxy.isPresent()) {
      Proxy p = proxy.get();
      List<String> bypass =
          p.getNonProxyHosts() == null
              ? List.of()
              : Arrays.stream(p.getNonProxyHosts().split("\\|"))
                  .map(String::strip)
                  .filter(s -> !s.isEmpty())
                  .toList();
      return http.proxy(
              new ProxySettings(p.getHost(), p.getPort(), p.getUsername(), p.getPassword(), bypass))
          .build();
    }
    return http.proxy(ProxySettings.fromEnvironment(System.getenv()).orElse(null)).build();
  }

  /**
   * {@code -Dpbs.token}, still honoured but read here rather than as a parameter (which {@code -X}
   * would print), else the settings.xml server.
   */
  private Credentials credentials() throws MojoFailureException {
    String token = session.getUserProperties().getProperty(PropertyNames.TOKEN);
    if (token == null) {
      token = session.getSystemProperties().getProperty(PropertyNames.TOKEN);
    }
    if (token != null && !token.isBlank()) {
      getLog()
          .warn(
              PropertyNames.TOKEN
                  + " puts the token on the command line, where process lists and CI logs of"
                  + " the command show it: keep it in settings.xml instead, as the <password> of"
                  + " a <server> with id '"
                  + (serverId == null ? DEFAULT_SERVER_ID : serverId)
                  + "' ("
                  + PropertyNames.SERVER_ID
                  + ")");
      return Credentials.bearer(token.strip(), "-D" + PropertyNames.TOKEN);
    }
    boolean chosen = serverId != null && !serverId.isBlank();
    return SettingsServers.httpCredentials(
        session, decrypter, chosen ? serverId.strip() : DEFAULT_SERVER_ID, chosen);
  }
}
