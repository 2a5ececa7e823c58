package dev.pbstoolchain.binarypatcher.elf;

/**
 * Bytes for a file offset, planned once the layout is known: when the block of sections after the
 * program header table moves, the offset moves with it.
 */
final class PendingWrite {
  long offset;
  final byte[] bytes;

  PendingWrite(long offset, byte[] bytes) {
    this.offset = offset;
    this.bytes = bytes;
  }
}
