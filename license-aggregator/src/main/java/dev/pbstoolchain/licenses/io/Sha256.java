package dev.pbstoolchain.licenses.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The module's one SHA-256 of a file: streamed 1 MiB at a time, lower-case hex. */
public final class Sha256 {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  /** A file's SHA-256, in lower-case hex. */
  public static String of(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file)) {
      MessageDigest digest = digest();
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      while (channel.read(buffer) >= 0) {
        digest.update(buffer.flip());
        buffer.clear();
      }
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** True for 64 lower-case hex digits, as {@link #of} writes them. */
  public static boolean isHex(String text) {
    return HEX.matcher(text).matches();
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
