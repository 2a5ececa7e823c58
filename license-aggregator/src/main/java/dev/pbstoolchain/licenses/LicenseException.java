package dev.pbstoolchain.licenses;

/**
 * The one exception of the licence aggregator: names the archive/entry, the problem and the fix.
 */
public class LicenseException extends Exception {

  private static final long serialVersionUID = 1L;

  public LicenseException(String message) {
    super(message);
  }

  public LicenseException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Text from a file as a message shows it: control characters as {@code \\u0000}, cut after {@code
   * max} code points (fuzzed or hostile input can be long and unprintable).
   */
  public static String shown(String text, int max) {
    StringBuilder shown = new StringBuilder();
    text.codePoints()
        .limit(max)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                shown.append(String.format("\\u%04x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return text.codePointCount(0, text.length()) > max ? shown + "..." : shown.toString();
  }
}
