package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Checks a plan against the tables an edit keeps as they are: the dynamic relocation tables and the
 * version needs ({@code .gnu.version_r}). Each must come out byte for byte as it went in (with the
 * edit's own patches, such as a renamed {@code vn_file}), whole, where the layout moved it; and the
 * version need entries, which link each other by relative offsets, all moved by one distance. A
 * corrupt file may lay such a table over one the edit rewrites (a {@code vn_aux} pointing into the
 * dynamic table, a DT_RELR over the program headers): its output would read otherwise, so the edit
 * is refused and the file left as it is.
 */
final class KeptTables {

  private KeptTables() {}

  /**
   * Refuses {@code plan} when it changes, cuts or pulls apart a kept table of {@code elf}.
   *
   * @param outputOffset where the layout puts a byte of the input
   * @param patches the edit's own bytes at input offsets, which a kept table may take
   */
  static void check(
      ElfFile elf, PatchPlan plan, LongUnaryOperator outputOffset, List<PendingWrite> patches)
      throws BinaryFormatException {
    List<List<Extent>> groups = new ArrayList<>();
    for (Extent table : DynamicRelocations.extents(elf)) {
      groups.add(List.of(table));
    }
    if (!elf.versionNeedEntries.isEmpty()) {
      groups.add(elf.versionNeedEntries);
    }
    if (groups.isEmpty()) {
      return;
    }
    try (FileChannel in = FileChannel.open(elf.path, StandardOpenOption.READ)) {
      for (List<Extent> group : groups) {
        Extent first = group.get(0);
        long distance = outputOffset.applyAsLong(first.offset()) - first.offset();
        for (Extent kept : group) {
          long at = outputOffset.applyAsLong(kept.offset());
          long last = kept.end() - 1;
          if (at - kept.offset() != distance || outputOffset.applyAsLong(last) - last != distance) {
            throw elf.problem(
                describe(kept)
                    + " lies partly in the tables this edit moves and partly outside them"
                    + (group.size() > 1 ? " (or apart from the rest of its chain)" : "")
                    + ", so it would come out cut apart: the file is corrupt");
          }
          byte[] expected = read(in, elf.fileSize, kept.offset(), (int) kept.length());
          for (PendingWrite p : patches) {
            overlay(expected, kept.offset(), p.offset(), p.bytes(), p.bytes().length);
          }
          byte[] actual = output(in, elf.fileSize, plan, at, (int) kept.length());
          int differs = Arrays.mismatch(expected, actual);
          if (differs >= 0) {
            throw elf.problem(
                describe(kept)
                    + " shares bytes with what this edit writes (output offset 0x"
                    + Long.toHexString(at + differs)
                    + "), so the edit would change it: the file is corrupt");
          }
        }
      }
    } catch (IOException e) {
      throw new BinaryFormatException(
          elf.path, "cannot read the tables the edit keeps: " + e.getMessage(), e);
    }
  }

  private static String describe(Extent kept) {
    String where = "offset 0x" + Long.toHexString(kept.offset()) + ", " + kept.length() + " bytes";
    return kept.name().startsWith(".gnu.version_r")
        ? "the " + kept.name() + " (a version need, " + where + ")"
        : "the relocation table " + kept.name() + " names (" + where + ")";
  }

  /** The plan's output at {@code [at, at + length)}: the input shifted, then every write. */
  private static byte[] output(FileChannel in, long size, PatchPlan plan, long at, int length)
      throws IOException {
    byte[] bytes = read(in, size, at - plan.shift(), length);
    if (plan.truncateTo() >= 0) {
      for (long o = Math.max(at, plan.truncateTo()); o < at + length; o++) {
        bytes[(int) (o - at)] = 0;
      }
    }
    for (PatchPlan.Write w : plan.writes()) {
      long writeLength = w.bytes() == null ? w.zeros() : w.bytes().length;
      overlay(bytes, at, w.offset(), w.bytes(), writeLength);
    }
    return bytes;
  }

  /** Puts {@code source} (zeros when null) at {@code offset} over {@code target} at {@code at}. */
  private static void overlay(byte[] target, long at, long offset, byte[] source, long length) {
    long from = Math.max(at, offset);
    long to = Math.min(at + target.length, offset + length);
    for (long o = from; o < to; o++) {
      target[(int) (o - at)] = source == null ? 0 : source[(int) (o - offset)];
    }
  }

  /** {@code length} bytes of the input from {@code offset}; zeros where it has none. */
  private static byte[] read(FileChannel in, long size, long offset, int length)
      throws IOException {
    byte[] bytes = new byte[length];
    long from = Math.max(offset, 0);
    long to = Math.min(offset + length, size);
    if (from < to) {
      ByteBuffer b = ByteBuffer.wrap(bytes, (int) (from - offset), (int) (to - from));
      PositionalRead.readFully(in, b, from);
    }
    return bytes;
  }
}
