package dev.pbstoolchain.publishing.apt;

import dev.pbstoolchain.publishing.io.FileDigests;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A suite's Release file (Debian's repository format): what the suite is, when it was made, and the
 * size and hashes of every index under {@code dists/SUITE}, which apt checks each download against
 * once InRelease's signature holds.
 */
final class ReleaseFile {

  // RFC 2822 in UTC with English names, as the Debian archive writes it.
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  // dak's column width for sizes.
  private static final int SIZE_WIDTH = 16;

  private ReleaseFile() {}

  static String text(
      AptRequest request,
      Set<String> architectures,
      Set<String> components,
      Map<String, FileDigests> files) {
    StringBuilder out = new StringBuilder();
    field(out, "Origin", request.origin());
    field(out, "Label", request.label());
    field(out, "Suite", request.suite());
    field(out, "Codename", request.codename());
    field(out, "Date", DATE.format(request.date()));
    field(out, "Architectures", String.join(" ", architectures));
    field(out, "Components", String.join(" ", components));
    field(out, "Acquire-By-Hash", "yes");
    if (request.description() != null && !request.description().isBlank()) {
      field(out, "Description", request.description().strip().replace('\n', ' '));
    }
    hashes(out, "MD5Sum", files, FileDigests::md5);
    hashes(out, "SHA1", files, FileDigests::sha1);
    hashes(out, "SHA256", files, FileDigests::sha256);
    hashes(out, "SHA512", files, FileDigests::sha512);
    return out.toString();
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(name).append(": ").append(value).append('\n');
  }

  private static void hashes(
      StringBuilder out,
      String name,
      Map<String, FileDigests> files,
      Function<FileDigests, String> hash) {
    out.append(name).append(":\n");
    files.forEach(
        (path, digests) ->
            out.append(' ')
                .append(hash.apply(digests))
                .append(' ')
                .append(String.format(Locale.ROOT, "%" + SIZE_WIDTH + "d", digests.size()))
                .append(' ')
                .append(path)
                .append('\n'));
  }
}
