package dev.pbstoolchain.core.fetch;

/**
 * Why unpacking stopped: the archive ({@link Kind#ARCHIVE}: hostile, malformed, corrupt or too
 * large; whether fetching again can help depends on whether the file is the one the release
 * published) or this machine ({@link Kind#LOCAL}: disk full, permissions, locale).
 */
final class UnpackException extends Exception {

  private static final long serialVersionUID = 1L;

  enum Kind {
    ARCHIVE,
    LOCAL
  }

  private final Kind kind;

  UnpackException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
