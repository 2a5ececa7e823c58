package dev.pbstoolchain.binarypatcher.macho;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import dev.pbstoolchain.binarypatcher.io.SiblingTempFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits a fat file whose slices must grow (an unsigned slice gaining a signature, or a signature
 * that no longer fits before the next slice): each slice is cut out and edited as a thin file, then
 * the fat file is laid out again. A slice keeps its offset unless the one before it grew into it;
 * then it moves to the next offset its fat_arch alignment allows. Nothing but the slices' own edits
 * and the fat_arch offsets and sizes changes.
 */
final class FatRelayout {

  /** lipo aligns slices to at most 2^14 (arm64 pages); 2^20 leaves room for anything sane. */
  private static final int MAX_ALIGN_SHIFT = 20;

  private FatRelayout() {}

  static Path apply(Path input, MachOEdit edit) throws BinaryFormatException {
    Path output = edit.output() == null ? input : edit.output();
    Path dir = output.toAbsolutePath().getParent();
    String name = output.getFileName().toString();
    List<Path> temps = new ArrayList<>();
    try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ)) {
      ByteBuffer head = readFully(in, 0, 8);
      boolean wide = head.getInt(0) == MachOFile.FAT_MAGIC_64;
      int count = head.getInt(4);
      int entry = wide ? 32 : 20;
      ByteBuffer table = readFully(in, 8, count * entry);
      List<Path> slices = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Path thin = SiblingTempFile.create(dir, name + ".slice" + i);
        temps.add(thin);
        try (FileChannel out = FileChannel.open(thin, StandardOpenOption.WRITE)) {
          transfer(in, offset(table, i, wide), size(table, i, wide), out, 0);
        }
        // A new signature takes the fat file's name as its identifier, as codesign does.
        MachOEditor.apply(thin, edit.forSlice(name));
        slices.add(thin);
      }
      Path assembled = SiblingTempFile.create(dir, name);
      temps.add(assembled);
      try (FileChannel out = FileChannel.open(assembled, StandardOpenOption.WRITE)) {
        long end = 8L + (long) count * entry;
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
          int shift = table.getInt(i * entry + (wide ? 24 : 16));
          if (shift < 0 || shift > MAX_ALIGN_SHIFT) {
            throw new BinaryFormatException(
                input,
                "fat_arch "
                    + i
                    + " asks for alignment 2^"
                    + shift
                    + ", more than any slice needs (2^"
                    + MAX_ALIGN_SHIFT
                    + "): the fat header is corrupt");
          }
          long align = 1L << shift;
          long original = offset(table, i, wide);
          offsets[i] = Math.max(original, (end + align - 1) / align * align);
          long size = Files.size(slices.get(i));
          if (!wide && (offsets[i] + size > 0xffffffffL)) {
            throw new BinaryFormatException(
                input,
                "the re-laid-out fat file would pass 4 GiB, which a 32-bit fat header cannot address");
          }
          if (wide) {
            table.putLong(i * entry + 8, offsets[i]).putLong(i * entry + 16, size);
          } else {
            table.putInt(i * entry + 8, (int) offsets[i]).putInt(i * entry + 12, (int) size);
          }
          end = offsets[i] + size;
        }
        write(out, 0, head.rewind());
        write(out, 8, table.rewind());
        for (int i = 0; i < count; i++) {
          try (FileChannel slice = FileChannel.open(slices.get(i), StandardOpenOption.READ)) {
            transfer(slice, 0, slice.size(), out, offsets[i]);
          }
        }
      }
      try {
        Files.setPosixFilePermissions(assembled, Files.getPosixFilePermissions(input));
      } catch (UnsupportedOperationException e) {
        // No POSIX modes here: nothing to keep.
      }
      Files.move(
          assembled, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temps.remove(assembled);
      return output;
    } catch (IOException e) {
      throw new BinaryFormatException(
          input, "cannot write " + output + ": " + e.getMessage() + "; the input is unchanged", e);
    } finally {
      for (Path temp : temps) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // A hidden temp file beside the output.
        }
      }
    }
  }

  private static long offset(ByteBuffer table, int i, boolean wide) {
    int at = i * (wide ? 32 : 20) + 8;
    return wide ? table.getLong(at) : Integer.toUnsignedLong(table.getInt(at));
  }

  private static long size(ByteBuffer table, int i, boolean wide) {
    int at = i * (wide ? 32 : 20) + (wide ? 16 : 12);
    return wide ? table.getLong(at) : Integer.toUnsignedLong(table.getInt(at));
  }

  private static ByteBuffer readFully(FileChannel in, long position, int length)
      throws IOException {
    return PositionalRead.readFully(
        in, ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN), position);
  }

  private static void write(FileChannel out, long position, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      position += out.write(buffer, position);
    }
  }

  private static void transfer(
      FileChannel from, long position, long length, FileChannel to, long at) throws IOException {
    long done = 0;
    while (done < length) {
      long n = from.transferTo(position + done, length - done, to.position(at + done));
      if (n <= 0) {
        throw new IOException("unexpected end of file while copying a slice");
      }
      done += n;
    }
  }
}
