package dev.pbstoolchain.publishing;

import java.nio.file.Path;

/** The line an apt or yum publish ends with: what it added, what was there, who signed. */
public final class RepositorySummary {

  private RepositorySummary() {}

  /**
   * {@code KIND repository ROOT: N added, M already there, LISTED, signed by FINGERPRINT}.
   *
   * @param kind "APT" or "YUM"
   * @param listed how many packages the index now lists, and where (e.g. "3 in stable/main")
   */
  public static String line(
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
}
