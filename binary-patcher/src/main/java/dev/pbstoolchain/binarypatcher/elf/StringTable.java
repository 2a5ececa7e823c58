package dev.pbstoolchain.binarypatcher.elf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
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
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int at = (int) offset;
    int oldLength = ElfFile.cString(inPlace, at).getBytes(StandardCharsets.UTF_8).length;
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

  /** The table as it sits in the file when nothing was appended. */
  byte[] inPlaceBytes() {
    return inPlace.clone();
  }

  /** The whole new table: the original (edited in place) followed by the appended strings. */
  byte[] bytes() {
    byte[] tail = appended.toByteArray();
    byte[] all = Arrays.copyOf(inPlace, inPlace.length + tail.length);
    System.arraycopy(tail, 0, all, inPlace.length, tail.length);
    return all;
  }

  /** Where {@code value} ends a string of the table (whole or as a tail), or -1. */
  private static long find(byte[] table, byte[] value) {
    int n = value.length;
    for (int end = n; end < table.length; end++) {
      if (table[end] == 0 && Arrays.equals(table, end - n, end, value, 0, n)) {
        return end - n;
      }
    }
    return -1;
  }
}
