package dev.pbstoolchain.publishing.signing;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Makes OpenPGP v4 signatures with one key. Implementations check the key when they are created
 * (passphrase, expiry, revocation), so a bad key stops a release before anything is written; their
 * {@code toString} names the key by fingerprint and never shows secret material.
 */
public interface Signer {

  /** The primary key's fingerprint, upper-case hex (what users pin in signed-by= or gpgkey=). */
  String fingerprint();

  /** The primary user ID, for messages. */
  String userId();

  /**
   * The OpenPGP public-key algorithm of the key that signs (RFC 4880 9.1: 1 RSA, 17 DSA, 22 EdDSA),
   * which decides the rpm signature tags a signature goes into.
   */
  int keyAlgorithm();

  /** The digest every signature of this signer uses. */
  HashAlgorithm hash();

  /** The creation time every signature carries. */
  Instant signatureTime();

  /** The certificate (public keys, user IDs, self-signatures) in binary OpenPGP packets. */
  byte[] publicKey();

  /**
   * One binary signature packet over {@code data} (read to its end, not closed): a detached
   * signature as gpg --detach-sign writes it, without armor.
   */
  byte[] sign(InputStream data, SignatureMode mode) throws IOException, PublishingException;

  /** The certificate armored, as published in KEY.asc. */
  default String armoredPublicKey() {
    return Armor.armor(Armor.PUBLIC_KEY, publicKey());
  }

  /** An armored detached signature over the bytes of {@code data} (SHA256SUMS.asc). */
  default String armoredSignature(InputStream data) throws IOException, PublishingException {
    return Armor.armor(Armor.SIGNATURE, sign(data, SignatureMode.BINARY));
  }

  /**
   * An armored detached signature over {@code text} in UTF-8 (the APT Release file's Release.gpg,
   * repomd.xml.asc); {@code what} names the text in the error.
   */
  default String armoredSignature(String text, String what) throws PublishingException {
    try {
      return armoredSignature(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw PublishingException.failure("Cannot sign " + what + ": " + e.getMessage(), e);
    }
  }

  /** {@code text} clear-signed (RFC 4880 7), as apt reads InRelease. */
  default String clearSign(String text) throws PublishingException {
    ClearText clear = ClearText.of(text);
    byte[] signature;
    try {
      signature =
          sign(
              new ByteArrayInputStream(clear.canonical().getBytes(StandardCharsets.UTF_8)),
              SignatureMode.TEXT);
    } catch (IOException e) {
      throw PublishingException.failure("Cannot sign text in memory: " + e.getMessage(), e);
    }
    return clear.framed(hash(), Armor.armor(Armor.SIGNATURE, signature));
  }
}
