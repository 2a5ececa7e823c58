package dev.pbstoolchain.binarypatcher.io;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The module's one SHA-256: every JDK has it, so its absence is a broken runtime, not an input. */
public final class Sha256 {

  /** Bytes in a SHA-256 digest. */
  public static final int LENGTH = 32;

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }

  public static byte[] of(byte[] bytes) {
    return newDigest().digest(bytes);
  }
}
