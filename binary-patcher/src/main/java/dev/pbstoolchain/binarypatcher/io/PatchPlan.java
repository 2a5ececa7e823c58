package dev.pbstoolchain.binarypatcher.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an editor decided to change in a binary: byte ranges to overwrite, and the file's new length
 * when it grows. Applied in one go by {@link AtomicPatcher}.
 */
public final class PatchPlan {

  /** Bytes to put at a file offset; with {@code bytes} null, {@code zeros} zero bytes. */
  public record Write(long offset, byte[] bytes, long zeros) {}

  private final List<Write> writes = new ArrayList<>();
  private long newLength = -1;
  private long truncateTo = -1;
  private long shift;

  public PatchPlan write(long offset, byte[] bytes) {
    writes.add(new Write(offset, bytes.clone(), 0));
    return this;
  }

  /** As {@link #write}, without a copy: the caller hands the array over and leaves it alone. */
  public PatchPlan writeOwned(long offset, byte[] bytes) {
    writes.add(new Write(offset, bytes, 0));
    return this;
  }

  /** Clears {@code length} bytes at {@code offset}. */
  public PatchPlan zero(long offset, long length) {
    writes.add(new Write(offset, null, length));
    return this;
  }

  /** Grows (zero-filled) or keeps the file at {@code length}; never shrinks it. */
  public PatchPlan extendTo(long length) {
    newLength = Math.max(newLength, length);
    return this;
  }

  /** Cuts the file to {@code length} before the writes are applied. */
  public PatchPlan truncateTo(long length) {
    truncateTo = length;
    return this;
  }

  /**
   * Puts the whole input {@code bytes} further into the output (the first {@code bytes} start out
   * as zeros); every write of this plan is in the output's offsets.
   */
  public PatchPlan shiftBy(long bytes) {
    shift = bytes;
    return this;
  }

  public long shift() {
    return shift;
  }

  public long truncateTo() {
    return truncateTo;
  }

  public List<Write> writes() {
    return Collections.unmodifiableList(writes);
  }

  public long newLength() {
    return newLength;
  }

  public boolean isEmpty() {
    return writes.isEmpty() && newLength < 0 && truncateTo < 0 && shift == 0;
  }
}
