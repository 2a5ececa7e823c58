package dev.pbstoolchain.core.fetch;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a release lists closest to an asset it lacks: the targets, the CPython versions of the
 * target, or the flavours of the version, so an error can say what to set instead of sending the
 * user to the release page.
 */
final class ReleaseContents {

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /** Numeric parts first (3.9 before 3.10), then the text (3.14.0 before 3.14.0rc1 is fine). */
  static final Comparator<String> VERSION_ORDER = ReleaseContents::compareNumbers;

  private final List<ReleaseAsset> assets;

  private ReleaseContents(List<ReleaseAsset> assets) {
    this.assets = assets;
  }

  /** The CPython archives among a release's file names (other names are ignored). */
  static ReleaseContents of(Collection<String> fileNames) {
    return new ReleaseContents(
        fileNames.stream().map(ReleaseAsset::parse).flatMap(Optional::stream).toList());
  }

  /** A sentence on what the release has nearest {@code wanted}, or empty when it lists nothing. */
  String nearest(ReleaseAsset wanted) {
    List<ReleaseAsset> target =
        assets.stream().filter(a -> a.triple().equals(wanted.triple())).toList();
    if (target.isEmpty()) {
      String triples = sortedDistinct(assets, ReleaseAsset::triple, Comparator.naturalOrder());
      return triples.isEmpty()
          ? ""
          : "This release has no " + wanted.triple() + " build; its targets: " + triples + ".";
    }
    List<ReleaseAsset> version =
        target.stream().filter(a -> a.version().equals(wanted.version())).toList();
    if (version.isEmpty()) {
      return "For "
          + wanted.triple()
          + " this release has CPython "
          + sortedDistinct(target, ReleaseAsset::version, VERSION_ORDER)
          + ".";
    }
    return "For CPython "
        + wanted.version()
        + " on "
        + wanted.triple()
        + " this release has the flavours "
        + sortedDistinct(version, ReleaseAsset::flavor, Comparator.naturalOrder())
        + ".";
  }

  private static String sortedDistinct(
      List<ReleaseAsset> from, Function<ReleaseAsset, String> key, Comparator<String> order) {
    return from.stream()
        .map(key)
        .collect(Collectors.toCollection(() -> new TreeSet<>(order)))
        .stream()
        .collect(Collectors.joining(", "));
  }

  private static int compareNumbers(String a, String b) {
    Matcher x = NUMBER.matcher(a);
    Matcher y = NUMBER.matcher(b);
    while (x.find() && y.find()) {
      int c = Long.compare(Long.parseLong(x.group()), Long.parseLong(y.group()));
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }
}
