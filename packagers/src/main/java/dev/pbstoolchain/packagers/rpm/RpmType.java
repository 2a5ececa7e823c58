package dev.pbstoolchain.packagers.rpm;

/** The value types of rpm header entries (rpm's {@code rpmTagType}), with their alignment. */
enum RpmType {
  CHAR(1, 1),
  INT8(2, 1),
  INT16(3, 2),
  INT32(4, 4),
  INT64(5, 8),
  STRING(6, 1),
  BIN(7, 1),
  STRING_ARRAY(8, 1),
  I18NSTRING(9, 1);

  private final int code;
  private final int alignment;

  RpmType(int code, int alignment) {
    this.code = code;
    this.alignment = alignment;
  }

  /** The number the index entry stores. */
  int code() {
    return code;
  }

  /** The data store aligns a value of this type to this many bytes. */
  int alignment() {
    return alignment;
  }
}
