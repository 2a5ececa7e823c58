package dev.pbstoolchain.packagers;

import java.io.IOException;
import java.io.InputStream;

/**
 * Makes the OpenPGP signatures a deb or an rpm carries, while it is written: the rpm header
 * signatures (of the main header, and of the main header and the compressed payload) and the deb's
 * origin signature ({@code _gpgorigin}). The keys and the OpenPGP code live with the caller (the
 * publishing module), so packagers needs no cryptography library.
 */
public interface PackageSigner {

  /** RFC 4880 9.1 public-key algorithm ids. */
  int RSA = 1;

  int RSA_SIGN_ONLY = 3;
  int DSA = 17;
  int ECDSA = 19;
  int EDDSA = 22;

  /**
   * One binary OpenPGP v4 signature packet over {@code data}, as {@code gpg --detach-sign} writes
   * it; the same data and key give the same bytes (the packages stay reproducible).
   */
  byte[] sign(InputStream data) throws IOException;

  /** The RFC 4880 9.1 algorithm of the signing key, which picks the rpm signature tags. */
  int keyAlgorithm();
}
