package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * {@code .dynstr} being edited. Existing strings never move (symbols and version entries point into
 * the table), so new strings are appended; a string already present is reused.
 */
final class StringTable {

  private final byte[] original;
  // Copied on the first in-place overwrite only: a large program's table is megabytes.
  private byte[] inPlace;
  private final ByteArrayOutputStream appended = new ByteArrayOutputStream();

  StringTable(byte[] original) {
    this.original = original;
    this.inPlace = original;
  }

  /** The string at {@code offset}, in the original table or among the appended ones. */
  String stringAt(long offset) {
    if (offset < inPlace.length) {
      return ElfFile.cString(inPlace, (int) offset);
    }
    return ElfFile.cString(appended.toByteArray(), (int) (offset - inPlace.length));
  }

  /** The length of the whole table, appended strings included. */
  long length() {
    return inPlace.length + (long) appended.size();
  }

  /** The offset of {@code value}, appending it when it is not in the table yet. */
  long offsetOf(String value) {
    byte[] bytes = value.getBytes(RawString.latin1());
    long found = find(inPlace, bytes);
    if (found >= 0) {
      return found;
    }
    byte[] tail = appended.toByteArray();
    found = find(tail, bytes);
    if (found >= 0) {
      return inPlace.length + found;
    }
    long offset = inPlace.length + appended.size();
    appended.writeBytes(bytes);
    appended.write(0);
    return offset;
  }

  /** Overwrites the string at {@code offset} when {@code value} fits in its bytes. */
  boolean overwrite(long offset, String value) {
    byte[] bytes = value.getBytes(RawString.latin1());
    int at = (int) offset;
    int oldLength = ElfFile.cString(inPlace, at).getBytes(RawString.latin1()).length;
    if (bytes.length > oldLength) {
      return false;
    }
    if (inPlace == original) {
      inPlace = original.clone();
    }
    System.arraycopy(bytes, 0, inPlace, at, bytes.length);
    Arrays.fill(inPlace, at + bytes.length, at + oldLength + 1, (byte) 0);
    return true;
  }

  boolean grew() {
    return appended.size() > 0;
  }

  boolean changedInPlace() {
    return inPlace != original && !Arrays.equals(original, inPlace);
  }

  /** The table as it sits in the file when nothing was appended (shared: do not change it). */
  byte[] inPlaceBytes() {
    return inPlace;
  }

  /** Plans the whole new table at {@code offset}: the original (edited), then the new strings. */
  void writeTo(PatchPlan plan, long offset) {
    plan.writeOwned(offset, inPlace);
    if (appended.size() > 0) {
      plan.writeOwned(offset + inPlace.length, appended.toByteArray());
    }
  }

  /**
   * Where {@code value} ends a string of the table (whole or as a tail), or -1. A
   * Boyer-Moore-Horspool search for {@code value} + NUL: it looks at a fraction of the bytes, which
   * matters for a megabytes-long table scanned before the JIT has compiled anything.
   */
  private static long find(byte[] table, byte[] value) {
    int m = value.length + 1;
    int[] skip = new int[256];
    Arrays.fill(skip, m);
    for (int i = 0; i < m - 1; i++) {
      skip[value[i] & 0xff] = m - 1 - i;
    }
    for (int at = 0; at + m <= table.length; at += skip[table[at + m - 1] & 0xff]) {
      if (table[at + m - 1] == 0 && Arrays.equals(table, at, at + m - 1, value, 0, m - 1)) {
        return at;
      }
    }
    return -1;
  }
}
