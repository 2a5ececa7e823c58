package dev.pbstoolchain.binarypatcher;

import java.nio.file.Path;

/**
 * The one exception of this library: a binary could not be read or edited. The message names the
 * file, the structure and offset involved, what was expected, and what the user can do about it.
 */
public class BinaryFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public BinaryFormatException(Path file, String message) {
    super(file + ": " + message);
    this.file = file;
  }

  public BinaryFormatException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }
}
