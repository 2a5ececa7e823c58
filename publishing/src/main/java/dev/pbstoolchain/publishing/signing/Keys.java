package dev.pbstoolchain.publishing.signing;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;

/** How keys are named in messages, and the facts about them we check. */
final class Keys {

  private Keys() {}

  /** Upper-case hex fingerprint, as gpg shows it. */
  static String fingerprint(PGPPublicKey key) {
    return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
  }

  /** The first user ID, or an empty string for a key without one. */
  static String userId(PGPPublicKey key) {
    Iterator<String> ids = key.getUserIDs();
    return ids.hasNext() ? ids.next() : "";
  }

  /** {@code FINGERPRINT (User <mail>)}: how messages name a key. */
  static String describe(PGPPublicKey key) {
    String uid = userId(key);
    return fingerprint(key) + (uid.isEmpty() ? "" : " (" + uid + ")");
  }

  /** When the key stops being valid by its newest self-signature, or null if never. */
  static Instant expiry(PGPPublicKey key) {
    long seconds = key.getValidSeconds();
    return seconds <= 0 ? null : key.getCreationTime().toInstant().plusSeconds(seconds);
  }

  static String algorithmName(int algorithm) {
    return switch (algorithm) {
      case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> "RSA";
      case PublicKeyAlgorithmTags.RSA_ENCRYPT -> "RSA (encrypt only)";
      case PublicKeyAlgorithmTags.DSA -> "DSA";
      case PublicKeyAlgorithmTags.ECDSA -> "ECDSA";
      case PublicKeyAlgorithmTags.EDDSA_LEGACY -> "EdDSA";
      case PublicKeyAlgorithmTags.Ed25519 -> "Ed25519";
      case PublicKeyAlgorithmTags.Ed448 -> "Ed448";
      case PublicKeyAlgorithmTags.ECDH,
          PublicKeyAlgorithmTags.X25519,
          PublicKeyAlgorithmTags.X448 ->
          "ECDH (encryption)";
      case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, PublicKeyAlgorithmTags.ELGAMAL_GENERAL ->
          "ElGamal (encryption)";
      default -> "public-key algorithm " + algorithm;
    };
  }
}
