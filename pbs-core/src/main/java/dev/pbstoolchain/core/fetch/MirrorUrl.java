package dev.pbstoolchain.core.fetch;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pbs.mirror} as users write it, made the base of release URLs. Maven puts paths into it
 * unencoded ({@code file://${project.basedir}/mirror} in a project whose path has a space), and a
 * local mirror is often given as just its directory: both become the {@code file:} URL they mean.
 */
final class MirrorUrl {

  private MirrorUrl() {}

  /**
   * The mirror as a URL, or null when none is set. What cannot be read as a URL or an absolute path
   * is returned as given, for {@link AssetResolver} to report.
   */
  static String normalize(String mirror) {
    if (mirror == null || mirror.isBlank()) {
      return null;
    }
    String value = mirror.strip();
    if (value.regionMatches(true, 0, "file:", 0, 5)) {
      if (parses(value)) {
        return value;
      }
      String rest = value.substring(5);
      if (rest.startsWith("//localhost/")) {
        rest = rest.substring("//localhost".length());
      } else if (rest.startsWith("///")) {
        rest = rest.substring(2);
      }
      return fileUrl(rest, value);
    }
    return value.contains("://") ? value : fileUrl(value, value);
  }

  /**
   * The mirror with its credentials masked, when its URL carries some ({@code
   * https://user:secret@host/}), else empty. Only the masked form may ever be printed.
   */
  static Optional<String> withoutCredentials(String mirror) {
    if (mirror == null) {
      return Optional.empty();
    }
    try {
      URI uri = URI.create(mirror);
      if (uri.getRawUserInfo() == null) {
        return Optional.empty();
      }
      return Optional.of(mirror.replace(uri.getRawUserInfo() + "@", "***@"));
    } catch (IllegalArgumentException e) {
      // Not a URL: look for user:password@ after the scheme by hand.
      Matcher m = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@").matcher(mirror);
      return m.find() ? Optional.of(m.replaceFirst("$1***@")) : Optional.empty();
    }
  }

  private static boolean parses(String url) {
    try {
      URI.create(url);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The file: URL of an absolute path, or {@code otherwise}. */
  private static String fileUrl(String path, String otherwise) {
    try {
      Path dir = Path.of(path);
      return dir.isAbsolute() ? dir.toUri().toString() : otherwise;
    } catch (InvalidPathException e) {
      return otherwise;
    }
  }
}
