package dev.pbstoolchain.packagers;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The message digests the packagers take (every JDK has them), in one place. */
public final class Digests {

  private Digests() {}

  public static MessageDigest sha256() {
    return of("SHA-256");
  }

  public static MessageDigest sha1() {
    return of("SHA-1");
  }

  public static MessageDigest md5() {
    return of("MD5");
  }

  /** Lower-case hex of {@code digest} over {@code bytes}, as rpm headers and md5sums write it. */
  public static String hex(MessageDigest digest, byte[] bytes) {
    return HexFormat.of().formatHex(digest.digest(bytes));
  }

  private static MessageDigest of(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
