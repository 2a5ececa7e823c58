package dev.pbstoolchain.licenses;

import java.util.regex.Pattern;

/**
 * Where python-build-standalone publishes its release assets. LICENSE.md and the SBOM record this
 * canonical URL with the archive's SHA-256, whichever mirror the archive was fetched from, so the
 * same release gives the same artifact bytes from any mirror.
 */
public final class Upstream {

  /** The release downloads of astral-sh/python-build-standalone; a release's tag is its date. */
  public static final String RELEASES =
      "https://github.com/astral-sh/python-build-standalone/releases/download/";

  private static final Pattern DATE = Pattern.compile("\\d{8}");
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

  private Upstream() {}

  /**
   * The canonical URL of a release asset, as GitHub serves it ({@code +} written {@code %2B}), e.g.
   * {@code
   * .../releases/download/20241016/cpython-3.11.10%2B20241016-x86_64-unknown-linux-gnu-pgo%2Blto-full.tar.zst}.
   *
   * @param date the release tag, {@code YYYYMMDD}
   * @param asset the asset's file name
   * @throws IllegalArgumentException when either is not of that shape
   */
  public static String releaseUrl(String date, String asset) {
    if (!DATE.matcher(date).matches()) {
      throw new IllegalArgumentException(
          "a python-build-standalone release date is 8 digits (YYYYMMDD), not '" + date + "'");
    }
    if (!ASSET.matcher(asset).matches()) {
      throw new IllegalArgumentException(
          "'" + asset + "' is not a python-build-standalone asset name");
    }
    return RELEASES + date + "/" + asset.replace("+", "%2B");
  }
}
