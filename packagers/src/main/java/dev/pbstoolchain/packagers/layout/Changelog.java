package dev.pbstoolchain.packagers.layout;

import dev.pbstoolchain.packagers.PackagingException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package's changelog in Debian's format (deb-changelog(5)), newest entry first: the deb carries
 * it as {@code usr/share/doc/NAME/changelog.Debian.gz}, the rpm as {@code %changelog} (one
 * CHANGELOGTIME/NAME/TEXT triple per entry). {@link #NONE} means "write the one-entry changelog of
 * the release" instead.
 *
 * <pre>
 * app (1.2.0-1) unstable; urgency=medium
 *
 *   * What changed.
 *
 *  -- Jane Doe &lt;jane@example.com&gt;  Thu, 03 Dec 2026 12:00:00 +0000
 * </pre>
 *
 * @param entries newest first
 */
public record Changelog(List<Entry> entries) {

  /** No changelog given: the writers make one entry for the release. */
  public static final Changelog NONE = new Changelog(List.of());

  /**
   * One entry.
   *
   * @param header its first line, {@code package (version) distributions; urgency=...}
   * @param version the version between the parentheses (a Debian version)
   * @param changes the change lines as written, indented (blank lines between groups kept)
   * @param maintainer {@code Name <email>} of the trailer
   * @param date the trailer's date as written (RFC 2822)
   * @param epochSeconds that date
   */
  public record Entry(
      String header,
      String version,
      List<String> changes,
      String maintainer,
      String date,
      long epochSeconds) {

    public Entry {
      changes = List.copyOf(changes);
    }
  }

  private static final Pattern HEADER =
      Pattern.compile(
          "^([a-z0-9][a-z0-9.+-]+) \\(([A-Za-z0-9.+~:-]+)\\) ([a-z0-9][a-z0-9 .+/-]*);"
              + " ([A-Za-z0-9_-]+=\\S+(?:, ?[A-Za-z0-9_-]+=\\S+)*)$");

  private static final Pattern TRAILER =
      Pattern.compile("^ -- (\\S[^<>]* <[^<>@ ]+@[^<> ]+>)  (.+)$");

  public Changelog {
    entries = List.copyOf(entries);
  }

  /**
   * Reads a changelog in Debian's format; {@code where} names the file in messages, which give its
   * line ({@code where:LINE: what is wrong}).
   *
   * @throws PackagingException for anything dpkg-parsechangelog would refuse, a date it cannot
   *     read, or entries not newest first (rpm requires that order)
   */
  public static Changelog parse(String text, String where) throws PackagingException {
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].stripTrailing();
      if (line.isEmpty()) {
        i++;
        continue;
      }
      int headerLine = i + 1;
      Matcher header = HEADER.matcher(line);
      if (!header.matches()) {
        throw malformed(
            where,
            headerLine,
            "expected an entry's first line, 'package (version) distribution; urgency=medium',"
                + " found '"
                + line
                + "'");
      }
      List<String> changes = new ArrayList<>();
      i++;
      Matcher trailer = null;
      for (; i < lines.length; i++) {
        String body = lines[i].stripTrailing();
        if (body.startsWith(" -- ")) {
          trailer = TRAILER.matcher(body);
          if (!trailer.matches()) {
            throw malformed(
                where,
                i + 1,
                "expected ' -- Name <email>  Day, DD Mon YYYY HH:MM:SS +ZZZZ' (two spaces before"
                    + " the date), found '"
                    + body
                    + "'");
          }
          break;
        }
        if (!body.isEmpty() && !body.startsWith("  ")) {
          throw malformed(
              where,
              i + 1,
              "a change line must start with two spaces (the entry of line "
                  + headerLine
                  + " has no ' -- Name <email>  date' line before this one)");
        }
        changes.add(body);
      }
      if (trailer == null) {
        throw malformed(
            where, headerLine, "the entry has no ' -- Name <email>  date' line at its end");
      }
      while (!changes.isEmpty() && changes.get(0).isEmpty()) {
        changes.remove(0);
      }
      while (!changes.isEmpty() && changes.get(changes.size() - 1).isEmpty()) {
        changes.remove(changes.size() - 1);
      }
      if (changes.isEmpty()) {
        throw malformed(where, headerLine, "the entry lists no change");
      }
      long epoch;
      try {
        epoch =
            OffsetDateTime.parse(trailer.group(2), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toEpochSecond();
      } catch (DateTimeParseException e) {
        throw malformed(
            where,
            i + 1,
            "cannot read the date '"
                + trailer.group(2)
                + "': it must be like 'Thu, 03 Dec 2026 12:00:00 +0000' (date -R)");
      }
      if (!entries.isEmpty() && epoch > entries.get(entries.size() - 1).epochSeconds()) {
        throw malformed(
            where, i + 1, "this entry is newer than the one above it: entries go newest first");
      }
      entries.add(
          new Entry(line, header.group(2), changes, trailer.group(1), trailer.group(2), epoch));
      i++;
    }
    if (entries.isEmpty()) {
      throw malformed(where, 1, "no entry: the file is empty");
    }
    return new Changelog(entries);
  }

  private static PackagingException malformed(String where, int line, String what) {
    return new PackagingException(
        where + ":" + line + ": " + what + " (Debian changelog format, deb-changelog(5))");
  }

  /** The newest entry's version, or empty for {@link #NONE}. */
  public String newestVersion() {
    return entries.isEmpty() ? "" : entries.get(0).version();
  }

  /** The text of {@code changelog.Debian}: each entry as written, one blank line between. */
  public String debianText() {
    StringBuilder text = new StringBuilder();
    for (Entry e : entries) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(e.header()).append("\n\n");
      e.changes().forEach(line -> text.append(line).append('\n'));
      text.append("\n -- ").append(e.maintainer()).append("  ").append(e.date()).append('\n');
    }
    return text.toString();
  }

  /**
   * rpm's CHANGELOGTEXT of an entry, as {@code %changelog} would hold it: Debian's {@code *} items
   * become rpm's {@code -} items, two columns of indentation go, blank lines go.
   */
  public static String rpmText(Entry entry) {
    List<String> lines = new ArrayList<>();
    for (String line : entry.changes()) {
      if (line.isBlank()) {
        continue;
      }
      String text = line.substring(2);
      lines.add(text.startsWith("* ") ? "- " + text.substring(2) : text);
    }
    return String.join("\n", lines);
  }
}
