package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import java.nio.ByteBuffer;

/**
 * The ELF editor's one writer: turns an {@link ElfLayout} into the byte ranges of a {@link
 * PatchPlan}, which {@code AtomicPatcher} applies. The order is fixed, each step free to land on
 * the bytes of an earlier one: dead bytes cleared, bytes placed as they are, {@code .dynstr}, the
 * program header table (and e_phoff/e_phnum), the dynamic table, the section name and header tables
 * (and e_shoff/e_shnum), the edit's own patches.
 */
final class ElfWriter {

  private ElfWriter() {}

  static PatchPlan write(ElfLayout layout, ElfCodec c) {
    PatchPlan plan = new PatchPlan();
    if (layout.shift() != 0) {
      plan.shiftBy(layout.shift());
    }
    if (layout.length() >= 0) {
      plan.extendTo(layout.length());
    }
    for (ElfLayout.Span s : layout.cleared()) {
      plan.zero(s.offset(), s.length());
    }
    for (ElfLayout.Placed p : layout.copies()) {
      plan.writeOwned(p.offset(), p.bytes());
    }
    ElfLayout.Strings strings = layout.strings();
    if (strings != null && strings.whole()) {
      strings.table().writeTo(plan, strings.offset());
    } else if (strings != null) {
      plan.writeOwned(strings.offset(), strings.table().inPlaceBytes());
    }
    if (layout.programHeaders() != null) {
      programHeaders(plan, layout.programHeaders(), c);
    }
    if (layout.dynamic() != null) {
      plan.writeOwned(layout.dynamic().offset(), dynamic(layout.dynamic(), c));
    }
    if (layout.sectionHeaders() != null) {
      sectionHeaders(plan, layout.sectionHeaders(), c);
    }
    for (ElfLayout.Placed p : layout.patches()) {
      plan.writeOwned(p.offset(), p.bytes());
    }
    return plan;
  }

  private static void programHeaders(PatchPlan plan, ElfLayout.ProgramHeaders table, ElfCodec c) {
    int size = c.programHeaderSize();
    if (table.only() != null) {
      for (int i : table.only()) {
        ByteBuffer b = c.allocate(size);
        table.headers().get(i).writeTo(c, b, 0);
        plan.writeOwned(table.offset() + (long) i * size, b.array());
      }
      return;
    }
    ByteBuffer b = c.allocate(table.headers().size() * size);
    for (int i = 0; i < table.headers().size(); i++) {
      table.headers().get(i).writeTo(c, b, i * size);
    }
    plan.writeOwned(table.offset(), b.array());
    plan.writeOwned(ElfHeaderFields.phoff(c), word(c, table.offset()));
    plan.writeOwned(ElfHeaderFields.phnum(c), half(c, table.headers().size()));
  }

  private static byte[] dynamic(ElfLayout.Dynamic table, ElfCodec c) {
    int size = c.dynamicEntrySize();
    ByteBuffer b = c.allocate(table.slots() * size);
    for (int i = 0; i < table.entries().size(); i++) {
      c.putWord(b, i * size, table.entries().get(i).tag());
      c.putWord(b, i * size + c.wordSize(), table.entries().get(i).value());
    }
    return b.array();
  }

  private static void sectionHeaders(PatchPlan plan, ElfLayout.SectionHeaders table, ElfCodec c) {
    int size = SectionHeader.size(c);
    if (table.only() != null) {
      int i = table.only();
      plan.writeOwned(table.offset() + (long) i * size, table.headers().get(i).toBytes(c));
      return;
    }
    if (table.names() != null) {
      plan.writeOwned(table.namesOffset(), table.names());
    }
    ByteBuffer b = c.allocate(table.headers().size() * size);
    for (int i = 0; i < table.headers().size(); i++) {
      b.put(i * size, table.headers().get(i).toBytes(c));
    }
    plan.extendTo(table.offset() + b.capacity());
    plan.writeOwned(table.offset(), b.array());
    plan.writeOwned(ElfHeaderFields.shoff(c), word(c, table.offset()));
    plan.writeOwned(ElfHeaderFields.shnum(c), half(c, table.headers().size()));
  }

  private static byte[] word(ElfCodec c, long value) {
    ByteBuffer b = c.allocate(c.wordSize());
    c.putWord(b, 0, value);
    return b.array();
  }

  private static byte[] half(ElfCodec c, int value) {
    ByteBuffer b = c.allocate(2);
    b.putShort(0, (short) value);
    return b.array();
  }
}
