package dev.pbstoolchain.binarypatcher.elf;

/**
 * Bytes an edit puts at an offset of the file as read. The layout decides where that offset ends up
 * in the output (the block of sections after the program header table may move, the whole file may
 * shift); the write itself never changes.
 */
record PendingWrite(long offset, byte[] bytes) {}
