package dev.pbstoolchain.core.publish;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.SigningSettings;
import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.signing.GpgSigner;
import dev.pbstoolchain.publishing.signing.OpenPgpSigner;
import dev.pbstoolchain.publishing.signing.Signer;
import java.time.Instant;
import java.util.Optional;

/**
 * The release's signer, made (and its key checked) before a step writes anything: from {@code
 * pbs.signing.keyFile} in pure Java, or through gpg for {@code pbs.signing.gpgKey}; signatures
 * carry the release's build time.
 */
public final class ReleaseSigning {

  private ReleaseSigning() {}

  /** The signer, or empty when no key is configured. */
  public static Optional<Signer> signer(Release release) throws PbsException {
    SigningSettings signing = release.settings().signing();
    if (!signing.enabled()) {
      return Optional.empty();
    }
    if (signing.keyFile() != null && !signing.gpgKey().isEmpty()) {
      throw PbsException.configuration(
          "Both "
              + PropertyNames.SIGNING_KEY_FILE
              + " and "
              + PropertyNames.SIGNING_GPG_KEY
              + " are set: sign with the key file or with gpg, not both.");
    }
    Instant time = Instant.ofEpochSecond(release.epochSeconds());
    try {
      if (signing.keyFile() != null) {
        return Optional.of(
            OpenPgpSigner.load(
                release.settings().projectDir().resolve(signing.keyFile()),
                signing.passphrase(),
                time,
                Instant.now()));
      }
      return Optional.of(GpgSigner.open("gpg", null, signing.gpgKey(), time, Instant.now()));
    } catch (PublishingException e) {
      throw translate(e);
    }
  }

  /** The publishing library's exception as the core's, keeping its kind. */
  static PbsException translate(PublishingException e) {
    return e.isConfigurationProblem()
        ? PbsException.configuration(e.getMessage(), e)
        : PbsException.failure(e.getMessage(), e);
  }
}
