package dev.pbstoolchain.oci.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the image spec writes it, {@code algorithm:encoded}. Only the registered
 * algorithms are accepted (sha256, sha512), each with its exact hex length, so a digest read from a
 * file can name a blob path without escaping anything.
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex lower-case hex of the hash
 */
public record Digest(String algorithm, String hex) {

  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";
  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    if (!isValid(algorithm, hex)) {
      throw new IllegalArgumentException("not a sha256 or sha512 digest: " + algorithm + ":" + hex);
    }
  }

  /** Parses {@code sha256:<64 hex>} (or sha512); empty-handed callers get a message to show. */
  public static Digest parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon < 0 || !isValid(text.substring(0, colon), text.substring(colon + 1))) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a digest (expected sha256: and 64 lower-case hex digits)");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  public static boolean isDigest(String text) {
    int colon = text.indexOf(':');
    return colon > 0 && isValid(text.substring(0, colon), text.substring(colon + 1));
  }

  public static Digest sha256(byte[] bytes) {
    return new Digest(SHA256, HexFormat.of().formatHex(newSha256().digest(bytes)));
  }

  public static Digest of(MessageDigest done) {
    String algorithm = done.getAlgorithm().equals("SHA-512") ? SHA512 : SHA256;
    return new Digest(algorithm, HexFormat.of().formatHex(done.digest()));
  }

  public static MessageDigest newSha256() {
    return messageDigest("SHA-256");
  }

  /** A fresh hash of this digest's algorithm, to verify content against it. */
  public MessageDigest newMessageDigest() {
    return messageDigest(algorithm.equals(SHA512) ? "SHA-512" : "SHA-256");
  }

  private static MessageDigest messageDigest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is missing from this JDK", e);
    }
  }

  private static boolean isValid(String algorithm, String hex) {
    if (algorithm == null || hex == null) {
      return false;
    }
    return switch (algorithm) {
      case SHA256 -> SHA256_HEX.matcher(hex).matches();
      case SHA512 -> SHA512_HEX.matcher(hex).matches();
      default -> false;
    };
  }

  /** The first 12 hex digits, as docker shows image ids. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
