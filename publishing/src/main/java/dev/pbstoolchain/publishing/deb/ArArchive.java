package dev.pbstoolchain.publishing.deb;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The members of a deb's ar archive (deb(5), ar(5)): {@code !<arch>\n}, then per member a 60-byte
 * header (name 16, mtime 12, uid 6, gid 6, mode 8, size 10, "`\n") and the data padded to an even
 * offset. Member sizes are checked against the file before anything is read.
 */
public final class ArArchive {

  static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
  static final int HEADER = 60;
  private static final int NAME = 16;
  private static final int SIZE_AT = 48;
  private static final int SIZE_LENGTH = 10;
  private static final int END_AT = 58;

  /** One member: its name (GNU ar's trailing '/' removed), where its data starts, its size. */
  public record Member(String name, long dataOffset, long size) {

    /** The offset after the member's data and padding. */
    public long end() {
      return dataOffset + size + size % 2;
    }
  }

  private ArArchive() {}

  /** Every member of {@code deb}, in order. */
  public static List<Member> members(Path deb) throws PublishingException {
    try (FileChannel channel = FileChannel.open(deb, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
      channel.read(magic, 0);
      if (magic.position() != MAGIC.length || !java.util.Arrays.equals(magic.array(), MAGIC)) {
        throw DebFile.invalid(deb, "it is not an ar archive (no !<arch> magic)", null);
      }
      List<Member> members = new ArrayList<>();
      long offset = MAGIC.length;
      while (offset < fileSize) {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (header.hasRemaining() && channel.read(header, offset + header.position()) > 0) {
          // read the whole header
        }
        byte[] h = header.array();
        if (header.hasRemaining() || h[END_AT] != '`' || h[END_AT + 1] != '\n') {
          throw DebFile.invalid(
              deb, "the ar member header at offset " + offset + " is damaged", null);
        }
        String name = new String(h, 0, NAME, StandardCharsets.US_ASCII).strip();
        if (name.endsWith("/")) {
          name = name.substring(0, name.length() - 1); // GNU ar's terminator
        }
        String digits = new String(h, SIZE_AT, SIZE_LENGTH, StandardCharsets.US_ASCII).strip();
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
          throw DebFile.invalid(
              deb, "the ar member header at offset " + offset + " has no size", null);
        }
        long size = Long.parseLong(digits);
        long data = offset + HEADER;
        if (size > fileSize - data) {
          throw DebFile.invalid(
              deb,
              "the ar member "
                  + name
                  + " at offset "
                  + data
                  + " claims "
                  + size
                  + " bytes, more than the file holds (truncated download?)",
              null);
        }
        Member member = new Member(name, data, size);
        members.add(member);
        offset = member.end();
      }
      return members;
    } catch (IOException e) {
      throw DebFile.invalid(deb, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  /** A stream over one member's data (the caller closes it). */
  public static InputStream open(Path deb, Member member) throws IOException {
    FileChannel channel = FileChannel.open(deb, StandardOpenOption.READ);
    channel.position(member.dataOffset());
    return BoundedInputStream.builder()
        .setInputStream(new java.io.BufferedInputStream(Channels.newInputStream(channel), 1 << 16))
        .setMaxCount(member.size())
        .get();
  }

  /** A stream over one member's header, data and padding, as the archive holds them. */
  public static InputStream openWithHeader(Path deb, Member member) throws IOException {
    FileChannel channel = FileChannel.open(deb, StandardOpenOption.READ);
    channel.position(member.dataOffset() - HEADER);
    return BoundedInputStream.builder()
        .setInputStream(new java.io.BufferedInputStream(Channels.newInputStream(channel), 1 << 16))
        .setMaxCount(member.end() - member.dataOffset() + HEADER)
        .get();
  }

  /** A member header for {@code name} with the given mtime and size (uid/gid 0, mode 100644). */
  public static byte[] header(String name, long mtime, long size) {
    String text =
        pad(name, NAME)
            + pad(Long.toString(mtime), 12)
            + pad("0", 6)
            + pad("0", 6)
            + pad("100644", 8)
            + pad(Long.toString(size), SIZE_LENGTH)
            + "`\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String pad(String value, int width) {
    if (value.length() > width) {
      throw new IllegalArgumentException(value + " does not fit an ar header field of " + width);
    }
    return value + " ".repeat(width - value.length());
  }
}
