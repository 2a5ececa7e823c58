package dev.pbstoolchain.publishing.signing;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * Reads an OpenPGP secret key file (armored or binary, as {@code gpg --export-secret-keys} writes
 * it) and picks the key that signs: the newest usable signing key of the one key ring it holds.
 * Everything that would make a signature useless to apt, rpm or dnf is refused here, naming the key
 * and the fix.
 */
final class SecretKeyFile {

  // A key file holds a few KiB; this bound keeps a wrong file (a package, an image) out of memory.
  private static final long MAX_KEY_FILE = 1 << 20;
  private static final int MIN_RSA_BITS = 2048;
  private static final int VERSION_4 = 4;

  private SecretKeyFile() {}

  /** The parsed key ring and the key chosen to sign. */
  record Chosen(PGPSecretKeyRing ring, PGPSecretKey signingKey) {}

  static Chosen read(Path file, Instant now) throws PublishingException {
    PGPSecretKeyRing ring = onlyRing(file, parse(file));
    PGPPublicKey primary = ring.getPublicKey();
    String name = Keys.describe(primary);
    if (primary.getVersion() != VERSION_4) {
      throw PublishingException.configuration(
          "The key "
              + name
              + " in "
              + file
              + " is an OpenPGP v"
              + primary.getVersion()
              + " key; apt, rpm and dnf check v4 signatures only. Use a v4 key (gpg 2.2 or"
              + " 2.4: gpg --quick-gen-key 'NAME <EMAIL>' rsa4096 sign 2y).");
    }
    if (primary.hasRevocation()) {
      throw PublishingException.configuration(
          "The key "
              + name
              + " in "
              + file
              + " is revoked: its signatures would be refused. Sign with a key that is not revoked"
              + " and publish its KEY.asc to your users.");
    }
    Instant primaryExpiry = Keys.expiry(primary);
    if (primaryExpiry != null && !now.isBefore(primaryExpiry)) {
      throw PublishingException.configuration(
          "The key "
              + name
              + " in "
              + file
              + " expired on "
              + primaryExpiry
              + ": apt, rpm and dnf refuse its signatures. Extend it (gpg --quick-set-expire "
              + Keys.fingerprint(primary)
              + " 2y), export it again and republish KEY.asc, or use another key.");
    }
    List<String> refusals = new ArrayList<>();
    PGPSecretKey best = null;
    for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext(); ) {
      PGPSecretKey candidate = it.next();
      String refusal = refusal(candidate, primary, now);
      if (refusal != null) {
        refusals.add(refusal);
      } else if (best == null
          || candidate
              .getPublicKey()
              .getCreationTime()
              .after(best.getPublicKey().getCreationTime())) {
        best = candidate;
      }
    }
    if (best == null) {
      throw PublishingException.configuration(
          "The key "
              + name
              + " in "
              + file
              + " has no key that can sign: "
              + String.join("; ", refusals)
              + ". Export a key with a usable signing key (gpg --armor --export-secret-keys"
              + " FINGERPRINT).");
    }
    return new Chosen(ring, best);
  }

  /** Why this (sub)key cannot sign, or null when it can. */
  private static String refusal(PGPSecretKey key, PGPPublicKey primary, Instant now) {
    PGPPublicKey pub = key.getPublicKey();
    String id = (key.isMasterKey() ? "primary key " : "subkey ") + Keys.fingerprint(pub);
    if (key.isPrivateKeyEmpty()) {
      return id
          + " has no secret part in the file (exported with --export-secret-subkeys or kept"
          + " on a card)";
    }
    if (!canSign(pub, primary)) {
      return id + " is not marked for signing";
    }
    String algorithm = unsupportedAlgorithm(pub);
    if (algorithm != null) {
      return id + " " + algorithm;
    }
    if (!key.isMasterKey()) {
      if (pub.hasRevocation()) {
        return id + " is revoked";
      }
      Instant expiry = Keys.expiry(pub);
      if (expiry != null && !now.isBefore(expiry)) {
        return id + " expired on " + expiry;
      }
    }
    return null;
  }

  private static boolean canSign(PGPPublicKey key, PGPPublicKey primary) {
    Integer flags = latestKeyFlags(key, primary);
    if (flags != null) {
      return (flags & KeyFlags.SIGN_DATA) != 0;
    }
    // Keys from before the key flags subpacket: any signing algorithm signs.
    return key.getAlgorithm() != PublicKeyAlgorithmTags.RSA_ENCRYPT
        && key.getAlgorithm() != PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT
        && key.getAlgorithm() != PublicKeyAlgorithmTags.ECDH;
  }

  /** The key flags of the newest self-signature over this key, or null when it has none. */
  private static Integer latestKeyFlags(PGPPublicKey key, PGPPublicKey primary) {
    PGPSignature latest = null;
    for (Iterator<PGPSignature> it = key.getSignaturesForKeyID(primary.getKeyID());
        it.hasNext(); ) {
      PGPSignature sig = it.next();
      if (sig.getHashedSubPackets() == null || PGPSignature.isRevocation(sig.getSignatureType())) {
        continue;
      }
      if (sig.getHashedSubPackets().getKeyFlags() != 0
          && (latest == null || sig.getCreationTime().after(latest.getCreationTime()))) {
        latest = sig;
      }
    }
    return latest == null ? null : latest.getHashedSubPackets().getKeyFlags();
  }

  /** Why we refuse this key's algorithm, or null for RSA (2048 bits or more) and Ed25519. */
  private static String unsupportedAlgorithm(PGPPublicKey key) {
    int algorithm = key.getAlgorithm();
    switch (algorithm) {
      case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> {
        if (key.getBitStrength() < MIN_RSA_BITS) {
          return "is RSA "
              + key.getBitStrength()
              + ": apt warns about (and newer apt refuses) RSA keys below "
              + MIN_RSA_BITS
              + " bits";
        }
        return null;
      }
      case PublicKeyAlgorithmTags.EDDSA_LEGACY -> {
        return null;
      }
      case PublicKeyAlgorithmTags.DSA, PublicKeyAlgorithmTags.ECDSA -> {
        return "uses "
            + Keys.algorithmName(algorithm)
            + ", whose signatures take a random number, so rebuilt releases would differ; use an"
            + " RSA or Ed25519 key";
      }
      case PublicKeyAlgorithmTags.Ed25519, PublicKeyAlgorithmTags.Ed448 -> {
        return "uses the RFC 9580 "
            + Keys.algorithmName(algorithm)
            + " encoding, which gpg 2.2, apt, rpm and dnf of current distributions cannot check;"
            + " create the key with gpg (gpg --quick-gen-key 'NAME <EMAIL>' ed25519 sign 2y)";
      }
      default -> {
        return "uses " + Keys.algorithmName(algorithm) + ", which cannot sign";
      }
    }
  }

  private static List<Object> parse(Path file) throws PublishingException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_KEY_FILE) {
        throw PublishingException.configuration(
            "The signing key file "
                + file
                + " holds "
                + size
                + " bytes, far more than a key; give the file gpg --armor --export-secret-keys"
                + " FINGERPRINT writes.");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw PublishingException.configuration(
          "The signing key file "
              + file
              + " does not exist. Export the key with gpg --armor --export-secret-keys FINGERPRINT"
              + " > "
              + file.getFileName()
              + ".");
    } catch (IOException e) {
      throw PublishingException.configuration(
          "Cannot read the signing key file " + file + ": " + e.getMessage(), e);
    }
    List<Object> objects = new ArrayList<>();
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      PGPObjectFactory factory = new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
      Object next;
      while ((next = factory.nextObject()) != null) {
        objects.add(next);
      }
    } catch (IOException | RuntimeException e) {
      throw PublishingException.configuration(
          "The signing key file "
              + file
              + " is not an OpenPGP key ("
              + e.getMessage()
              + "). Give an armored secret key: gpg --armor --export-secret-keys FINGERPRINT.",
          e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    return objects;
  }

  private static PGPSecretKeyRing onlyRing(Path file, List<Object> objects)
      throws PublishingException {
    List<PGPSecretKeyRing> rings = new ArrayList<>();
    boolean publicOnly = false;
    for (Object o : objects) {
      if (o instanceof PGPSecretKeyRing ring) {
        rings.add(ring);
      } else if (o instanceof PGPPublicKeyRing) {
        publicOnly = true;
      }
    }
    if (rings.isEmpty()) {
      throw PublishingException.configuration(
          "The signing key file "
              + file
              + (publicOnly
                  ? " holds a public key only; signing needs the secret key:"
                  : " holds no OpenPGP secret key; export one with")
              + " gpg --armor --export-secret-keys FINGERPRINT > "
              + file.getFileName()
              + ".");
    }
    if (rings.size() > 1) {
      List<String> names = new ArrayList<>();
      rings.forEach(r -> names.add(Keys.describe(r.getPublicKey())));
      throw PublishingException.configuration(
          "The signing key file "
              + file
              + " holds "
              + rings.size()
              + " keys ("
              + String.join(", ", names)
              + "); export only the release key: gpg --armor --export-secret-keys FINGERPRINT.");
    }
    return rings.get(0);
  }
}
