package dev.pbstoolchain.core.matrix;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?": the valid name closest to a misspelt one, if any is close. */
final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate the user most likely meant: the same name in another spelling ({@code
   * pbs_triple}, {@code PbsTriple} for {@code pbsTriple}), else the nearest within two edits
   * (letters swapped count once), else none.
   */
  static Optional<String> closest(String typed, Collection<String> candidates) {
    String folded = fold(typed);
    for (String candidate : candidates) {
      if (fold(candidate).equals(folded)) {
        return Optional.of(candidate);
      }
    }
    for (String candidate : candidates) {
      // A word run on or cut short: postinstall for postinst, packag for packaging.
      String other = fold(candidate);
      String shorter = folded.length() < other.length() ? folded : other;
      String longer = folded.length() < other.length() ? other : folded;
      if (shorter.length() >= 4 && longer.startsWith(shorter)) {
        return Optional.of(candidate);
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = Math.min(2, Math.max(1, typed.length() / 3));
    for (String candidate : candidates) {
      int d = distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code " (did you mean 'x'?)"} or nothing. */
  static String didYouMean(String typed, Collection<String> candidates) {
    return closest(typed, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  private static String fold(String name) {
    return name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
