package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much an archive may expand to before unpacking stops: a gzip or tar bomb is refused at the
 * entry that crosses a limit, before its bytes are written. The defaults are several times what the
 * largest python-build-standalone install_only archive holds (about 300 MB and 8,000 entries for a
 * debug build).
 *
 * @param maxBytes the most bytes the entries may hold together ({@code pbs.maxUnpackedSize}); a
 *     download larger than this is refused too
 * @param maxEntries the most entries an archive may have ({@code pbs.maxUnpackedEntries})
 */
public record UnpackLimits(long maxBytes, int maxEntries) {

  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** What one entry's headers (pax records, GNU long names) may take: real ones take bytes. */
  static final int MAX_HEADER_BYTES = 1 << 20;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kmgt]?)b?");

  public static UnpackLimits defaults() {
    return new UnpackLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES);
  }

  /**
   * Reads the two options as users write them: a size with an optional k, m, g or t suffix (powers
   * of 1024), and a count; blank means the default.
   */
  public static UnpackLimits parse(String size, String entries) throws PbsException {
    long bytes = DEFAULT_MAX_BYTES;
    if (size != null && !size.isBlank()) {
      Matcher m = SIZE.matcher(size.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw PbsException.configuration(
            PropertyNames.MAX_UNPACKED_SIZE
                + " '"
                + size
                + "' is not a size: give bytes, or a number with k, m or g (e.g. 2g)");
      }
      int shift = " kmgt".indexOf(m.group(2).isEmpty() ? " " : m.group(2)) * 10;
      long value = Long.parseLong(m.group(1));
      bytes = value > Long.MAX_VALUE >> shift ? -1 : value << shift;
    }
    int count = DEFAULT_MAX_ENTRIES;
    if (entries != null && !entries.isBlank()) {
      try {
        count = Integer.parseInt(entries.strip());
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count <= 0) {
        throw PbsException.configuration(
            PropertyNames.MAX_UNPACKED_ENTRIES + " '" + entries + "' is not a positive count");
      }
    }
    if (bytes <= 0) {
      throw PbsException.configuration(
          PropertyNames.MAX_UNPACKED_SIZE + " '" + size + "' must be more than 0 and fit 64 bits");
    }
    return new UnpackLimits(bytes, count);
  }

  /** A size as people read it: 1.0 GB, 300.0 MB. */
  static String bytes(long n) {
    if (n >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GB", n / (double) (1L << 30));
    }
    return PbsFetcher.megabytes(n);
  }
}
