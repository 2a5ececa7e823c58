package dev.pbstoolchain.publishing.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file's size and the digests repositories list (apt: MD5, SHA-1, SHA-256, SHA-512; yum:
 * SHA-256), computed in one read, optionally while copying the file.
 */
public record FileDigests(long size, String md5, String sha1, String sha256, String sha512) {

  private static final int BUFFER = 1 << 16;

  /** Reads {@code file} once. */
  public static FileDigests of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in, null);
    }
  }

  /** Reads {@code in} to its end, writing every byte to {@code copy} too when it is not null. */
  public static FileDigests of(InputStream in, OutputStream copy) throws IOException {
    MessageDigest md5 = digest("MD5");
    MessageDigest sha1 = digest("SHA-1");
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest sha512 = digest("SHA-512");
    byte[] buffer = new byte[BUFFER];
    long size = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      md5.update(buffer, 0, n);
      sha1.update(buffer, 0, n);
      sha256.update(buffer, 0, n);
      sha512.update(buffer, 0, n);
      if (copy != null) {
        copy.write(buffer, 0, n);
      }
      size += n;
    }
    HexFormat hex = HexFormat.of();
    return new FileDigests(
        size,
        hex.formatHex(md5.digest()),
        hex.formatHex(sha1.digest()),
        hex.formatHex(sha256.digest()),
        hex.formatHex(sha512.digest()));
  }

  /** The digests of bytes in memory (index files we generate). */
  public static FileDigests of(byte[] bytes) {
    try {
      return of(new java.io.ByteArrayInputStream(bytes), null);
    } catch (IOException e) {
      throw new IllegalStateException("reading memory failed", e);
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + name, e);
    }
  }
}
