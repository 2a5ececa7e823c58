package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsException;

/**
 * Release tags of python-build-standalone ({@code YYYYMMDD}) and the dates at which its naming
 * changed.
 */
public final class PbsDate {

  /** First release named {@code cpython-V+DATE-...} and with a SHA256SUMS file. */
  static final int PLUS_NAMING = 20220227;

  /** First release with {@code install_only_stripped} archives. */
  static final int STRIPPED = 20240725;

  /** Windows {@code install_only} archives lost their {@code -shared} infix with this release. */
  static final int WINDOWS_INSTALL_ONLY_UNSHARED = 20240415;

  /** Windows full archives lost their {@code -shared} infix with this release. */
  static final int WINDOWS_FULL_UNSHARED = 20250311;

  /** First release with free-threaded builds. */
  static final int FREETHREADED = 20241016;

  /** First release with free-threaded install-only archives. */
  static final int FREETHREADED_INSTALL_ONLY = 20260325;

  /** Last release with a separate {@code pgo-full} flavour on Linux and macOS. */
  static final int LAST_PGO_FULL = 20241219;

  /** Last release publishing a {@code .sha256} file beside each asset. */
  static final int LAST_SHA256_FILES = 20250708;

  private PbsDate() {}

  /** Parses a release tag, failing with a message that names the property to fix. */
  public static int parse(String date) throws PbsException {
    if (date == null || !date.matches("\\d{8}")) {
      throw PbsException.configuration(
          "pbs.date '"
              + date
              + "' is not a python-build-standalone release tag: expected 8 digits such as"
              + " 20241016 (see https://github.com/astral-sh/python-build-standalone/releases)");
    }
    return Integer.parseInt(date);
  }
}
