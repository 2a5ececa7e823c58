package dev.pbstoolchain.binarypatcher.elf;

/**
 * Where a table the editor keeps lies in the file as read: {@code [offset, end)}, named for
 * messages (a relocation table by its tag, a version need entry by its place in the chain).
 */
record Extent(String name, long offset, long end) {

  boolean overlaps(long from, long to) {
    return offset < to && end > from;
  }

  long length() {
    return end - offset;
  }
}
