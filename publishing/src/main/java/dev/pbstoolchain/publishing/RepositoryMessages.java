package dev.pbstoolchain.publishing;

import java.nio.file.Path;

/**
 * What an apt and a yum publish say in the same words: the line each ends with, and why it refuses
 * to add to a repository whose files disagree.
 */
public final class RepositoryMessages {

  private RepositoryMessages() {}

  /**
   * {@code KIND repository ROOT: N added, M already there, LISTED, signed by FINGERPRINT}.
   *
   * @param kind "APT" or "YUM"
   * @param listed how many packages the index now lists, and where (e.g. "3 in stable/main")
   */
  public static String summary(
      String kind, Path root, int added, int unchanged, String listed, String fingerprint) {
    return kind
        + " repository "
        + root
        + ": "
        + added
        + " added, "
        + unchanged
        + " already there, "
        + listed
        + ", signed by "
        + fingerprint;
  }

  /**
   * {@code The KIND repository ROOT is inconsistent: WHY. Repair it (...) before adding to it.}
   *
   * @param kind "APT" or "YUM"
   * @param why which file says what the repository does not hold
   */
  public static PublishingException inconsistent(String kind, Path root, String why) {
    return PublishingException.configuration(
        "The "
            + kind
            + " repository "
            + root
            + " is inconsistent: "
            + why
            + ". Repair it (or restore it from the last published copy) before adding to it.");
  }
}
