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
 * Checks a plan against the tables an edit keeps as they are: the dynamic relocation tables, the
 * version needs ({@code .gnu.version_r}), and the dynamic table and {@code .dynstr} when the layout
 * does not write them anew. Each must come out byte for byte as it went in (with only the edit's
 * own rewrite of it: a renamed {@code vn_file}, relocations with renumbered symbols), whole, where
 * the layout moved it; and the version need entries, which link each other by relative offsets, all
 * moved by one distance. A corrupt file may lay such a table over one the edit rewrites (a {@code
 * vn_aux} pointing into the dynamic table, a DT_RELR over the program headers, a second PT_INTERP
 * over the dynamic table): its output would read otherwise, so the edit is refused and the file
 * left as it is. Only the bytes the plan writes are compared where a table stays in place, in
 * bounded chunks: a 30 MB relocation table costs no heap.
 */
final class KeptTables {

  /** Bytes compared at once. */
  private static final int CHUNK = 64 * 1024;

  private final ElfFile elf;
  private final PatchPlan plan;
  private final LongUnaryOperator outputOffset;
  private final List<PendingWrite> patches;
  private final FileChannel in;

  private KeptTables(
      ElfFile elf,
      PatchPlan plan,
      LongUnaryOperator outputOffset,
      List<PendingWrite> patches,
      FileChannel in) {
    this.elf = elf;
    this.plan = plan;
    this.outputOffset = outputOffset;
    this.patches = patches;
    this.in = in;
  }

  /**
   * Refuses {@code plan} when it changes, cuts or pulls apart a kept table of {@code elf}.
   *
   * @param layout what the plan was written from: tables it writes anew are not kept
   * @param outputOffset where the layout puts a byte of the input
   * @param patches the edit's own bytes at input offsets; a kept table takes only its own kind
   */
  static void check(
      ElfFile elf,
      ElfLayout layout,
      PatchPlan plan,
      LongUnaryOperator outputOffset,
      List<PendingWrite> patches)
      throws BinaryFormatException {
    try (FileChannel in = FileChannel.open(elf.path, StandardOpenOption.READ)) {
      new KeptTables(elf, plan, outputOffset, patches, in).check(layout);
    } catch (IOException e) {
      throw new BinaryFormatException(
          elf.path, "cannot read the tables the edit keeps: " + e.getMessage(), e);
    }
  }

  private void check(ElfLayout layout) throws BinaryFormatException, IOException {
    for (Extent table : DynamicRelocations.extents(elf)) {
      String what = "the relocation table " + table.name() + " names";
      keep(what, table.offset(), table.length(), PendingWrite.Kind.RELOCATIONS, null);
    }
    if (elf.versionNeedEntryCount > 0) {
      long first = elf.versionNeedEntryOffsets[0];
      long chain = outputOffset.applyAsLong(first) - first;
      for (int i = 0; i < elf.versionNeedEntryCount; i++) {
        keep(
            "the .gnu.version_r entry",
            elf.versionNeedEntryOffsets[i],
            ElfFile.VERSION_ENTRY,
            PendingWrite.Kind.VERSION_NEED_FILE,
            chain);
      }
    }
    if (layout.dynamic() == null && elf.hasDynamicSection()) {
      long size = (long) elf.dynamicSlots * elf.codec.dynamicEntrySize();
      keep("the dynamic table", elf.dynamicSegment.offset, size, null, null);
    }
    if (layout.strings() == null && elf.dynstrFileOffset >= 0) {
      keep(".dynstr (DT_STRTAB)", elf.dynstrFileOffset, elf.dynstr.length, null, null);
    }
  }

  /**
   * Refuses the plan unless {@code length} bytes at input offset {@code at} come out whole and as
   * they were, but for the patches of kind {@code accepts} (none when null), moved by {@code
   * distance} when given (the rest of the table's entries moved so).
   */
  private void keep(String what, long at, long length, PendingWrite.Kind accepts, Long distance)
      throws BinaryFormatException, IOException {
    if (length <= 0) {
      return;
    }
    long out = outputOffset.applyAsLong(at);
    long last = at + length - 1;
    boolean sameDistance = distance == null || out - at == distance;
    if (!sameDistance || outputOffset.applyAsLong(last) - last != out - at) {
      throw elf.problem(
          describe(what, at, length)
              + " lies partly in the tables this edit moves and partly outside them"
              + (distance != null ? " (or apart from the rest of its chain)" : "")
              + ", so it would come out cut apart: the file is corrupt");
    }
    // Bytes no write touches are the input's, shifted: where the table stays at its shifted place
    // only the written ones can differ.
    boolean inPlace = out - plan.shift() == at && plan.truncateTo() < 0;
    for (long[] range :
        inPlace ? written(out, out + length) : List.of(new long[] {out, out + length})) {
      for (long from = range[0]; from < range[1]; from += CHUNK) {
        int n = (int) Math.min(CHUNK, range[1] - from);
        long input = at + (from - out);
        byte[] expected = read(input, n);
        for (PendingWrite p : patches) {
          if (isOwnRewrite(p, accepts, at, length)) {
            overlay(expected, input, p.offset(), p.bytes(), p.bytes().length);
          }
        }
        int differs = Arrays.mismatch(expected, output(from, n));
        if (differs >= 0) {
          throw elf.problem(
              describe(what, at, length)
                  + " shares bytes with what this edit writes (output offset 0x"
                  + Long.toHexString(from + differs)
                  + "), so the edit would change it: the file is corrupt");
        }
      }
    }
  }

  /**
   * Whether {@code p} is the kept table's own rewrite: the vn_file field of this very version need
   * entry (4 bytes at its offset 4), or a relocation section rewritten within this table; never a
   * patch that only overlaps it (an overlapping entry of a corrupt chain, another table).
   */
  private static boolean isOwnRewrite(
      PendingWrite p, PendingWrite.Kind accepts, long at, long length) {
    if (p.kind() != accepts) {
      return false;
    }
    if (accepts == PendingWrite.Kind.VERSION_NEED_FILE) {
      return p.offset() == at + VN_FILE && p.bytes().length == Integer.BYTES;
    }
    return p.offset() >= at && p.offset() + p.bytes().length <= at + length;
  }

  /** Where {@code vn_file} sits in an {@code Elf_Verneed}. */
  private static final int VN_FILE = 4;

  /** The parts of {@code [from, to)} that writes of the plan land on, merged, in order. */
  private List<long[]> written(long from, long to) {
    List<long[]> parts = new ArrayList<>();
    for (PatchPlan.Write w : plan.writes()) {
      long start = Math.max(from, w.offset());
      long end = Math.min(to, w.offset() + length(w));
      if (start < end) {
        parts.add(new long[] {start, end});
      }
    }
    parts.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] part : parts) {
      long[] previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (previous != null && part[0] <= previous[1]) {
        previous[1] = Math.max(previous[1], part[1]);
      } else {
        merged.add(part);
      }
    }
    return merged;
  }

  private static long length(PatchPlan.Write w) {
    return w.bytes() == null ? w.zeros() : w.bytes().length;
  }

  private static String describe(String what, long at, long length) {
    return what + " at offset 0x" + Long.toHexString(at) + " (" + length + " bytes)";
  }

  /** The plan's output at {@code [at, at + length)}: the input shifted, then every write. */
  private byte[] output(long at, int length) throws IOException {
    byte[] bytes = read(at - plan.shift(), length);
    if (plan.truncateTo() >= 0) {
      for (long o = Math.max(at, plan.truncateTo()); o < at + length; o++) {
        bytes[(int) (o - at)] = 0;
      }
    }
    for (PatchPlan.Write w : plan.writes()) {
      overlay(bytes, at, w.offset(), w.bytes(), length(w));
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
  private byte[] read(long offset, int length) throws IOException {
    byte[] bytes = new byte[length];
    long from = Math.max(offset, 0);
    long to = Math.min(offset + length, elf.fileSize);
    if (from < to) {
      ByteBuffer b = ByteBuffer.wrap(bytes, (int) (from - offset), (int) (to - from));
      PositionalRead.readFully(in, b, from);
    }
    return bytes;
  }
}
