package dev.pbstoolchain.publishing.rpm;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the parts of an rpm file are (rpm's doc/manual/format.md): the 96-byte lead, the signature
 * header (padded to 8 bytes), the main header from {@code headerStart} to {@code headerEnd}, and
 * the payload from there to the end. Only the headers are read.
 *
 * @param lead the lead's bytes
 * @param signature the signature header
 * @param signatureLength the signature header's length (without the padding after it)
 * @param headerStart the main header's first byte
 * @param main the main header
 * @param headerEnd the byte after the main header (the payload's first)
 * @param size the file's length
 */
public record RpmFile(
    byte[] lead,
    RpmHeader signature,
    long signatureLength,
    long headerStart,
    RpmHeader main,
    long headerEnd,
    long size) {

  public static final int LEAD = 96;
  private static final int LEAD_MAGIC = 0xedabeedb;
  private static final int ALIGNMENT = 8;

  /** Reads the lead and both headers of {@code rpm}, checking every size against the file. */
  public static RpmFile read(Path rpm) throws PublishingException {
    try (FileChannel channel = FileChannel.open(rpm, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      ByteBuffer lead = readAt(channel, 0, LEAD, rpm, "the lead");
      if (lead.getInt(0) != LEAD_MAGIC) {
        throw invalid(rpm, "it does not start with the rpm lead magic", null);
      }
      long sigLength = headerLength(channel, LEAD, fileSize, rpm, "signature header");
      RpmHeader signature =
          RpmHeader.parse(readAt(channel, LEAD, (int) sigLength, rpm, "the signature header"));
      long headerStart = LEAD + sigLength + padding(sigLength);
      long mainLength = headerLength(channel, headerStart, fileSize, rpm, "header");
      RpmHeader main =
          RpmHeader.parse(readAt(channel, headerStart, (int) mainLength, rpm, "the header"));
      return new RpmFile(
          lead.array(),
          signature,
          sigLength,
          headerStart,
          main,
          headerStart + mainLength,
          fileSize);
    } catch (IOException e) {
      throw invalid(rpm, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw invalid(rpm, "its headers are damaged (" + e.getMessage() + ")", e);
    }
  }

  /** The zero bytes rpm puts after a signature header of {@code length} bytes. */
  public static int padding(long length) {
    return (int) ((ALIGNMENT - length % ALIGNMENT) % ALIGNMENT);
  }

  private static long headerLength(
      FileChannel channel, long at, long fileSize, Path rpm, String what)
      throws IOException, PublishingException {
    long length =
        RpmHeader.length(readAt(channel, at, RpmHeader.MAGIC_AND_COUNTS, rpm, "the " + what));
    if (length > fileSize - at || length > RpmHeader.MAX_STORE) {
      throw invalid(
          rpm,
          "its "
              + what
              + " at offset "
              + at
              + " claims "
              + length
              + " bytes, more than the file holds (truncated download?)",
          null);
    }
    return length;
  }

  private static ByteBuffer readAt(FileChannel channel, long at, int length, Path rpm, String what)
      throws IOException, PublishingException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, at + buffer.position()) < 0) {
        throw invalid(rpm, "the file ends inside " + what + " (truncated download?)", null);
      }
    }
    return buffer.flip();
  }

  /** The error for a file that is no rpm we can read. */
  public static PublishingException invalid(Path rpm, String why, Throwable cause) {
    return PublishingException.configuration(
        rpm
            + " is not a readable rpm: "
            + why
            + ". Rebuild it (pbs:package) or remove it from the release.",
        cause);
  }
}
