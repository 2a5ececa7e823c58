package dev.pbstoolchain.core.matrix;

/**
 * Where something is in matrix.yaml, as editors and compilers print it: {@code FILE:LINE:COLUMN}.
 *
 * @param file the file as the user named it
 * @param line 1-based line
 * @param column 1-based column
 */
public record Source(String file, int line, int column) {

  /** {@code FILE:LINE:COLUMN}, the prefix of every message about this place. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
