package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.release.SigningSettings;
import dev.pbstoolchain.publishing.signing.Passphrase;
import java.io.File;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The goals that sign (pbs:package, pbs:publish): the key file and where its passphrase comes from
 * (a settings.xml server's password, decrypted through {@link SettingsServers} as Maven decrypts
 * it, else the environment variable PBS_SIGNING_PASSPHRASE), or a gpg key. The passphrase is never
 * a parameter, so it never shows in {@code -X} output.
 */
abstract class AbstractSigningMojo extends AbstractPbsMojo {

  /**
   * The armored OpenPGP secret key that signs the debs, rpms, SHA256SUMS and repositories (what
   * {@code gpg --armor --export-secret-keys FINGERPRINT} writes). Unset: nothing is signed.
   */
  @Parameter(property = PropertyNames.SIGNING_KEY_FILE)
  private File signingKeyFile;

  /**
   * The id of the settings.xml {@code <server>} whose {@code <password>} (plain or encrypted with
   * {@code mvn --encrypt-password}) is the key file's passphrase. Unset: the environment variable
   * {@code PBS_SIGNING_PASSPHRASE}, else no passphrase.
   */
  @Parameter(property = PropertyNames.SIGNING_SERVER_ID)
  private String signingServerId;

  /**
   * Sign with this key of the user's gpg (fingerprint or user ID) through its agent, instead of a
   * key file.
   */
  @Parameter(property = PropertyNames.SIGNING_GPG_KEY)
  private String signingGpgKey;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession signingSession;

  @Component private SettingsDecrypter signingDecrypter;

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings()
        .signing(
            new SigningSettings(
                signingKeyFile == null ? null : signingKeyFile.toPath(),
                signingGpgKey,
                passphrase()));
  }

  private Passphrase passphrase() throws MojoFailureException {
    if (signingServerId == null || signingServerId.isBlank()) {
      return Passphrase.fromEnvironment();
    }
    String id = signingServerId.strip();
    Optional<Server> server = SettingsServers.find(signingSession, signingDecrypter, id);
    if (server.isEmpty()) {
      throw new MojoFailureException(
          PropertyNames.SIGNING_SERVER_ID
              + " names '"
              + id
              + "', but settings.xml has no <server> with that id: add <server><id>"
              + id
              + "</id><password>...</password></server> whose <password> is the signing key's"
              + " passphrase, or correct "
              + PropertyNames.SIGNING_SERVER_ID
              + ".");
    }
    String password = server.get().getPassword();
    String source =
        "the password of "
            + SettingsServers.describe(signingSession, id)
            + " ("
            + PropertyNames.SIGNING_SERVER_ID
            + ")";
    return password == null || password.isEmpty()
        ? Passphrase.none(source)
        : Passphrase.of(password.toCharArray(), source);
  }
}
