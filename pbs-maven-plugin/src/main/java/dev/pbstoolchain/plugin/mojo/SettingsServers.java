package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.Credentials;
import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Secrets the Maven way: a {@code <server>} (or the active {@code <proxy>}) of settings.xml,
 * decrypted with Maven's master password ({@code settings-security.xml}) by its {@link
 * SettingsDecrypter}. Goals never take a secret as a {@code @Parameter}, since {@code mvn -X}
 * prints every parameter's value; they ask this class at run time, and hand the core plain {@link
 * Credentials}, whose messages name the server id, never the secret.
 *
 * <p>Use from a Mojo: {@code SettingsServers.find(session, decrypter, id)} for the decrypted {@link
 * Server} (username, password, passphrase, private key), or {@code httpCredentials(...)} for HTTP
 * authentication.
 */
public final class SettingsServers {

  private SettingsServers() {}

  /** The {@code <server>} with this id, decrypted; empty when settings.xml has none. */
  public static Optional<Server> find(MavenSession session, SettingsDecrypter decrypter, String id)
      throws MojoFailureException {
    if (session.getSettings() == null) {
      return Optional.empty();
    }
    Server server = session.getSettings().getServer(id);
    if (server == null) {
      return Optional.empty();
    }
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    failOn(result.getProblems(), describe(session, id));
    return Optional.of(result.getServer());
  }

  /**
   * HTTP credentials for the server with this id: {@code <username>} and {@code <password>} as
   * Basic authentication, a {@code <password>} alone as a bearer token. When settings.xml has no
   * such server, none, with a hint naming the id (and an error when the user chose the id).
   *
   * @param chosen whether the user set the id ({@code pbs.serverId}), not the default
   */
  public static Credentials httpCredentials(
      MavenSession session, SettingsDecrypter decrypter, String id, boolean chosen)
      throws MojoFailureException {
    String where = describe(session, id);
    Optional<Server> server = find(session, decrypter, id);
    if (server.isEmpty()) {
      if (chosen) {
        throw new MojoFailureException(
            "pbs.serverId names '"
                + id
                + "', but settings.xml"
                + userSettings(session)
                + " has no <server> with that id. Add <server><id>"
                + id
                + "</id><username>...</username><password>...</password></server> (or only a"
                + " <password> for a bearer token), or correct pbs.serverId.");
      }
      return Credentials.none(
          "add a <server> with id '"
              + id
              + "' to settings.xml"
              + userSettings(session)
              + ", with <username> and <password> for Basic authentication or only a <password>"
              + " for a bearer token (pbs.serverId names another id)");
    }
    String user = server.get().getUsername();
    String password = server.get().getPassword();
    if (password == null || password.isEmpty()) {
      throw new MojoFailureException(
          where
              + " has no <password>: give the password (with <username>) or the token (alone)"
              + " there.");
    }
    return user == null || user.isBlank()
        ? Credentials.bearer(password, where)
        : Credentials.basic(user, password, where);
  }

  /** The active {@code <proxy>}, its password decrypted; empty when none is active. */
  public static Optional<Proxy> activeProxy(MavenSession session, SettingsDecrypter decrypter)
      throws MojoFailureException {
    Proxy proxy = session.getSettings() == null ? null : session.getSettings().getActiveProxy();
    if (proxy == null) {
      return Optional.empty();
    }
    SettingsDecryptionResult result =
        decrypter.decrypt(new DefaultSettingsDecryptionRequest(proxy));
    failOn(result.getProblems(), "the <proxy> '" + proxy.getId() + "' in settings.xml");
    return Optional.of(result.getProxy());
  }

  /** How messages name a server: {@code <server> 'id' in settings.xml}. */
  public static String describe(MavenSession session, String id) {
    return "<server> '" + id + "' in settings.xml" + userSettings(session);
  }

  private static String userSettings(MavenSession session) {
    File file = session.getRequest() == null ? null : session.getRequest().getUserSettingsFile();
    return file == null ? "" : " (" + file + ")";
  }

  /** Maven's decryption problems name the server and the cause, never the secret. */
  private static void failOn(List<SettingsProblem> problems, String what)
      throws MojoFailureException {
    List<SettingsProblem> errors =
        problems.stream()
            .filter(p -> p.getSeverity() != SettingsProblem.Severity.WARNING)
            .collect(Collectors.toList());
    if (!errors.isEmpty()) {
      throw new MojoFailureException(
          "Cannot decrypt the password of "
              + what
              + ": "
              + errors.stream().map(SettingsProblem::getMessage).collect(Collectors.joining("; "))
              + ". Check Maven's master password in settings-security.xml (~/.m2, or"
              + " -Dsettings.security=FILE); see"
              + " https://maven.apache.org/guides/mini/guide-encryption.html");
    }
  }
}
