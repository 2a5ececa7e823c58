package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.Triples;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One published python-build-standalone archive: {@code
 * cpython-{version}+{date}-{triple}-{flavour}.{ext}}, with the Windows {@code -shared} infix of
 * older releases.
 *
 * @param date the release tag, e.g. {@code 20241016}
 * @param version the CPython version, e.g. {@code 3.11.10} or {@code 3.14.0rc1}
 * @param triple the target triple, e.g. {@code x86_64-unknown-linux-gnu}
 * @param flavor the flavour, e.g. {@code install_only_stripped} or {@code pgo+lto-full}
 */
public record ReleaseAsset(String date, String version, String triple, String flavor) {

  private static final Pattern NAME = Pattern.compile("cpython-([^+]+)\\+(\\d{8})-(.+)");
  private static final String SHARED = "shared-";

  /** The file name PBS publishes this asset under. */
  public String fileName() {
    return "cpython-"
        + version
        + "+"
        + date
        + "-"
        + triple
        + "-"
        + (hasSharedInfix() ? SHARED : "")
        + flavor
        + "."
        + Flavors.extension(flavor);
  }

  /** The file name as it appears in a URL path ({@code +} percent-encoded). */
  public String encodedFileName() {
    return fileName().replace("+", "%2B");
  }

  /** Whether this is a {@code *-full} archive (build metadata, licences; {@code .tar.zst}). */
  public boolean isFull() {
    return Flavors.isFull(flavor);
  }

  /** The {@code python3.X} minor-version prefix, e.g. {@code 3.11}. */
  public String minorVersion() {
    Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
    return m.lookingAt() ? m.group(1) + "." + m.group(2) : version;
  }

  private boolean hasSharedInfix() {
    if (!Triples.isWindows(triple) || flavor.startsWith("freethreaded")) {
      return false;
    }
    int day = Integer.parseInt(date);
    return isFull()
        ? day < PbsDate.WINDOWS_FULL_UNSHARED
        : day < PbsDate.WINDOWS_INSTALL_ONLY_UNSHARED;
  }

  /**
   * Parses a published file name against the known triples (longest first: flavours contain {@code
   * +}, triples contain {@code -}, so splitting on either is ambiguous).
   */
  public static Optional<ReleaseAsset> parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    String rest = m.group(3);
    for (String triple : Triples.LONGEST_FIRST) {
      if (!rest.startsWith(triple + "-")) {
        continue;
      }
      String tail = rest.substring(triple.length() + 1);
      if (Triples.isWindows(triple) && tail.startsWith(SHARED)) {
        tail = tail.substring(SHARED.length());
      }
      for (String flavor : Flavors.ALL_LONGEST_FIRST) {
        if (tail.equals(flavor + "." + Flavors.extension(flavor))) {
          return Optional.of(new ReleaseAsset(m.group(2), m.group(1), triple, flavor));
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }
}
