package dev.pbstoolchain.packagers.layout;

import dev.pbstoolchain.packagers.PackagingException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maven versions as package versions. A release {@code 3.0.0} becomes deb {@code 3.0.0-1} and rpm
 * {@code 3.0.0} release {@code 1}; a qualifier ({@code -SNAPSHOT}, {@code -rc1}) becomes a {@code
 * ~} suffix, which sorts before the release in both dpkg and rpm.
 */
public record PackageVersion(String upstream, String release) {

  private static final Pattern MAVEN =
      Pattern.compile("(\\d+(?:\\.\\d+)*)(?:[-.]([A-Za-z][A-Za-z0-9.]*|\\d+[A-Za-z0-9.]*))?");

  public static PackageVersion from(String mavenVersion) throws PackagingException {
    Matcher m = MAVEN.matcher(mavenVersion == null ? "" : mavenVersion);
    if (!m.matches()) {
      throw new PackagingException(
          "Version '"
              + mavenVersion
              + "' cannot become a deb/rpm version: expected digits and dots with an optional"
              + " qualifier, e.g. 3.0.0, 3.1.0-SNAPSHOT or 3.1.0-rc1. Set <version> accordingly.");
    }
    String upstream = m.group(1) + (m.group(2) == null ? "" : "~" + m.group(2));
    return new PackageVersion(upstream, "1");
  }

  /** {@code upstream-release}, as dpkg writes it. */
  public String deb() {
    return upstream + "-" + release;
  }

  /** rpm's Version tag. */
  public String rpm() {
    return upstream;
  }
}
