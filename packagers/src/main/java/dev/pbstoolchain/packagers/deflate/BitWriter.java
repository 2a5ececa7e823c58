package dev.pbstoolchain.packagers.deflate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Bits packed least significant first, as deflate wants them. */
final class BitWriter {

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] out = new byte[1024];
  private int size;
  private long buffer;
  private int count;

  void reset(int capacity) {
    if (out.length < capacity) {
      out = new byte[capacity];
    }
    size = 0;
    buffer = 0;
    count = 0;
  }

  /** Writes the low {@code n} bits of {@code value}, n <= 32. */
  void write(int value, int n) {
    buffer |= (value & 0xffffffffL & ((1L << n) - 1)) << count;
    count += n;
    if (count >= 32) {
      ensure(4);
      INT.set(out, size, (int) buffer);
      size += 4;
      buffer >>>= 32;
      count -= 32;
    }
  }

  void alignToByte() {
    int pad = (8 - (count & 7)) & 7;
    count += pad;
    while (count >= 8) {
      ensure(1);
      out[size++] = (byte) buffer;
      buffer >>>= 8;
      count -= 8;
    }
  }

  /** Raw bytes, the writer being byte-aligned. */
  void writeBytes(byte[] bytes, int offset, int length) {
    alignToByte();
    ensure(length);
    System.arraycopy(bytes, offset, out, size, length);
    size += length;
  }

  private void ensure(int more) {
    if (size + more > out.length) {
      out = Arrays.copyOf(out, Math.max(size + more, out.length * 2));
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(out, size);
  }
}
