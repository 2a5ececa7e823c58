package dev.pbstoolchain.core.matrix;

import dev.pbstoolchain.core.PbsException;
import java.util.ArrayList;
import java.util.List;

/**
 * What is wrong with a matrix, each at its place: the reader reports every mistake of one pass at
 * once, one {@code FILE:LINE:COL: ...} line each, so a user fixes them in one go.
 */
final class Problems {

  /** Past this many, the rest are likely consequences of the first ones. */
  private static final int MAX = 20;

  private final List<String> lines = new ArrayList<>();

  void add(Source where, String what) {
    if (lines.size() < MAX) {
      lines.add(where + ": " + what + (what.endsWith(".") || what.endsWith("?") ? "" : "."));
    }
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  /** Throws one configuration exception listing every problem, when there is one. */
  void throwIfAny() throws PbsException {
    if (!lines.isEmpty()) {
      throw PbsException.configuration(String.join("\n", lines));
    }
  }
}
