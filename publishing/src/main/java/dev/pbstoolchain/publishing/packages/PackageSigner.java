package dev.pbstoolchain.publishing.packages;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.signing.Signer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Signs a package in place with the signature its format carries, chosen by its file name (the
 * CLI's files; pbs-core knows each artifact's format and calls the signers directly).
 */
public final class PackageSigner {

  private PackageSigner() {}

  /** Whether {@code file} is a package this class signs: a .rpm or a .deb. */
  public static boolean isPackage(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".rpm") || name.endsWith(".deb");
  }

  /**
   * Signs a .rpm ({@link RpmSigner}) or a .deb ({@link DebSigner}) in place.
   *
   * @param mtime passed on to {@link RpmSigner#sign} / {@link DebSigner#sign}, which may take null
   * @throws IllegalArgumentException for any other file (check {@link #isPackage} first)
   */
  public static void signInPlace(Path file, Signer signer, Instant mtime)
      throws PublishingException {
    String name = file.getFileName().toString();
    if (name.endsWith(".rpm")) {
      RpmSigner.sign(file, file, signer, mtime);
    } else if (name.endsWith(".deb")) {
      DebSigner.sign(file, file, signer, mtime);
    } else {
      throw new IllegalArgumentException(file + " is neither a .rpm nor a .deb");
    }
  }
}
