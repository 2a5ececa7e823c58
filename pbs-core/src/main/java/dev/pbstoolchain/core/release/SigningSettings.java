package dev.pbstoolchain.core.release;

import dev.pbstoolchain.publishing.signing.Passphrase;
import java.nio.file.Path;

/**
 * Which key signs the release, if any: an armored secret key file ({@code pbs.signing.keyFile})
 * with its passphrase (from settings.xml's {@code pbs.signing.serverId} server, else the
 * environment variable PBS_SIGNING_PASSPHRASE), or a key of the user's gpg ({@code
 * pbs.signing.gpgKey}), which its agent unlocks. The passphrase never shows in {@link #toString()}.
 *
 * @param keyFile the key file, or null
 * @param gpgKey the gpg key's fingerprint or user ID, or empty
 * @param passphrase the key file's passphrase and where it came from
 */
public record SigningSettings(Path keyFile, String gpgKey, Passphrase passphrase) {

  /** No key: nothing is signed (and pbs:publish refuses). */
  public static final SigningSettings NONE =
      new SigningSettings(
          null, "", Passphrase.none("the environment variable PBS_SIGNING_PASSPHRASE"));

  public SigningSettings {
    gpgKey = gpgKey == null ? "" : gpgKey.strip();
  }

  /** True when a key is configured. */
  public boolean enabled() {
    return keyFile != null || !gpgKey.isEmpty();
  }

  @Override
  public String toString() {
    return "SigningSettings[keyFile=" + keyFile + ", gpgKey=" + gpgKey + ", " + passphrase + "]";
  }
}
