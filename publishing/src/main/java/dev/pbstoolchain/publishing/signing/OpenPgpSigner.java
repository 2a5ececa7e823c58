package dev.pbstoolchain.publishing.signing;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * Signs in pure Java (BouncyCastle) with a key from an armored secret key file. RSA (PKCS#1 v1.5)
 * and Ed25519 signatures are deterministic and every signature carries the same creation time, so
 * the same key, time and data give the same bytes. The signature's subpackets are gpg's (issuer
 * fingerprint and creation time hashed, issuer key ID unhashed): an RSA signature is byte for byte
 * what {@code gpg --faked-system-time} writes.
 */
public final class OpenPgpSigner implements Signer {

  private static final byte[] SELF_TEST =
      "pbs-toolchain checks that the passphrase unlocks the key".getBytes(StandardCharsets.UTF_8);

  private final PGPPublicKey primary;
  private final PGPPublicKey signingKey;
  private final PGPPrivateKey privateKey;
  private final byte[] certificate;
  private final HashAlgorithm hash;
  private final Instant time;

  private OpenPgpSigner(
      PGPPublicKey primary,
      PGPPublicKey signingKey,
      PGPPrivateKey privateKey,
      byte[] certificate,
      HashAlgorithm hash,
      Instant time) {
    this.primary = primary;
    this.signingKey = signingKey;
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.hash = hash;
    this.time = time;
  }

  /**
   * Loads and checks the key: one key ring, v4, not revoked or expired at {@code now}, a signing
   * key RSA 2048+ or Ed25519, unlocked by {@code passphrase} (proved by a test signature).
   *
   * @param requestedTime the creation time signatures carry (the build's outputTimestamp); a key
   *     created later signs at its own creation time, since verifiers refuse a signature older than
   *     its key
   */
  public static OpenPgpSigner load(
      Path keyFile, Passphrase passphrase, Instant requestedTime, Instant now)
      throws PublishingException {
    SecretKeyFile.Chosen chosen = SecretKeyFile.read(keyFile, now);
    PGPSecretKey secret = chosen.signingKey();
    PGPPublicKey primary = chosen.ring().getPublicKey();
    PGPPrivateKey privateKey = unlock(keyFile, secret, primary, passphrase);
    Instant keyCreated = secret.getPublicKey().getCreationTime().toInstant();
    Instant time = requestedTime.truncatedTo(ChronoUnit.SECONDS);
    if (time.isBefore(keyCreated)) {
      time = keyCreated;
    }
    byte[] certificate;
    try {
      certificate = chosen.ring().toCertificate().getEncoded();
    } catch (IOException e) {
      throw PublishingException.configuration(
          "Cannot encode the public part of " + Keys.describe(primary) + ": " + e.getMessage(), e);
    }
    OpenPgpSigner signer =
        new OpenPgpSigner(
            primary, secret.getPublicKey(), privateKey, certificate, HashAlgorithm.SHA512, time);
    signer.proveUnlocked(keyFile, passphrase);
    return signer;
  }

  private static PGPPrivateKey unlock(
      Path keyFile, PGPSecretKey secret, PGPPublicKey primary, Passphrase passphrase)
      throws PublishingException {
    boolean protectedKey = secret.getS2KUsage() != 0;
    if (protectedKey && !passphrase.isPresent()) {
      throw PublishingException.configuration(
          "The key "
              + Keys.describe(primary)
              + " in "
              + keyFile
              + " is protected by a passphrase, and none was given: set "
              + passphrase.source()
              + ".");
    }
    try {
      return secret.extractPrivateKey(
          protectedKey
              ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                  .build(passphrase.characters())
              : null);
    } catch (PGPException | RuntimeException e) {
      throw wrongPassphrase(keyFile, primary, passphrase, e);
    }
  }

  private static PublishingException wrongPassphrase(
      Path keyFile, PGPPublicKey primary, Passphrase passphrase, Exception cause) {
    // The cause's text is BouncyCastle's ("checksum mismatch"): no secret in it, but no help
    // either; the message says which passphrase failed on which key.
    return PublishingException.configuration(
        "The passphrase from "
            + passphrase.source()
            + " does not unlock the key "
            + Keys.describe(primary)
            + " in "
            + keyFile
            + ". Check that it is this key's passphrase.",
        cause);
  }

  /** A signature that does not verify means the key was decrypted with the wrong passphrase. */
  private void proveUnlocked(Path keyFile, Passphrase passphrase) throws PublishingException {
    try {
      PGPSignature signature = generate(new ByteArrayInputStream(SELF_TEST), SignatureMode.BINARY);
      signature.init(new BcPGPContentVerifierBuilderProvider(), signingKey);
      signature.update(SELF_TEST);
      if (signature.verify()) {
        return;
      }
      throw wrongPassphrase(keyFile, primary, passphrase, null);
    } catch (PGPException | IOException | RuntimeException e) {
      throw wrongPassphrase(keyFile, primary, passphrase, e);
    }
  }

  @Override
  public String fingerprint() {
    return Keys.fingerprint(primary);
  }

  @Override
  public String userId() {
    return Keys.userId(primary);
  }

  @Override
  public int keyAlgorithm() {
    return signingKey.getAlgorithm();
  }

  @Override
  public HashAlgorithm hash() {
    return hash;
  }

  @Override
  public Instant signatureTime() {
    return time;
  }

  @Override
  public byte[] publicKey() {
    return certificate.clone();
  }

  @Override
  public byte[] sign(InputStream data, SignatureMode mode) throws IOException, PublishingException {
    try {
      // Old-format packet header, as gpg writes signatures.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (BCPGOutputStream packets = new BCPGOutputStream(out, PacketFormat.LEGACY)) {
        generate(data, mode).encode(packets);
      }
      return out.toByteArray();
    } catch (PGPException e) {
      throw PublishingException.failure(
          "Cannot sign with the key " + Keys.describe(primary) + ": " + e.getMessage(), e);
    }
  }

  private PGPSignature generate(InputStream data, SignatureMode mode)
      throws IOException, PGPException {
    PGPSignatureGenerator generator =
        new PGPSignatureGenerator(
            new BcPGPContentSignerBuilder(signingKey.getAlgorithm(), hash.id()), signingKey);
    generator.init(mode.type(), privateKey);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setIssuerFingerprint(false, signingKey);
    hashed.setSignatureCreationTime(false, Date.from(time));
    generator.setHashedSubpackets(hashed.generate());
    PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
    unhashed.setIssuerKeyID(false, signingKey.getKeyID());
    generator.setUnhashedSubpackets(unhashed.generate());
    byte[] buffer = new byte[1 << 16];
    int n;
    while ((n = data.read(buffer)) > 0) {
      generator.update(buffer, 0, n);
    }
    return generator.generate();
  }

  @Override
  public String toString() {
    return "OpenPgpSigner[" + Keys.describe(primary) + ", signs at " + time + "]";
  }
}
