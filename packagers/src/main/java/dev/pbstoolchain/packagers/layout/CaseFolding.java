package dev.pbstoolchain.packagers.layout;

import dev.pbstoolchain.packagers.PackagingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a layout safe to unpack on a case-insensitive file system (Windows, macOS by default).
 * Directories whose names differ only in case become one, since such a file system merges them
 * anyway, spelled as the one holding the most files. A symbolic link that then points at its own
 * name in another case (ncurses' terminfo links such as {@code N/NCR260 -> ../n/ncr260}) is
 * dropped: there it would point at itself, and the file it names answers to both spellings. Entries
 * that still collide, with different contents, are an error naming them.
 */
public final class CaseFolding {

  private CaseFolding() {}

  public static Layout fold(Layout layout, String artifact) throws PackagingException {
    if (layout.caseCollisions().isEmpty()) {
      return layout;
    }
    // Of the spellings of one directory, keep the one holding the most regular files, so that
    // the files stay where a case-sensitive reader looks for them too.
    Map<String, Integer> filesBelow = new HashMap<>();
    for (Entry e : layout.entries()) {
      for (String dir = e.parent(); e.isFile() && !dir.isEmpty(); dir = parentOf(dir)) {
        filesBelow.merge(dir, 1, Integer::sum);
      }
    }
    Map<String, String> directorySpelling = new HashMap<>();
    for (Entry e : layout.entries()) {
      if (e.isDirectory()) {
        directorySpelling.merge(
            lower(e.path()),
            e.path(),
            (kept, other) ->
                filesBelow.getOrDefault(other, 0) > filesBelow.getOrDefault(kept, 0)
                    ? other
                    : kept);
      }
    }
    Map<String, List<Entry>> byFolded = new LinkedHashMap<>();
    for (Entry e : layout.entries()) {
      String parent = e.parent().isEmpty() ? "" : directorySpelling.get(lower(e.parent())) + "/";
      String path = e.isDirectory() ? directorySpelling.get(lower(e.path())) : parent + e.name();
      byFolded.computeIfAbsent(lower(path), k -> new ArrayList<>()).add(e.at(path));
    }
    Layout folded = new Layout();
    List<List<String>> unresolved = new ArrayList<>();
    for (List<Entry> group : byFolded.values()) {
      List<Entry> kept = new ArrayList<>();
      for (Entry e : group) {
        boolean loopsOnItself =
            group.size() > 1 && e.isSymlink() && lower(target(e)).equals(lower(e.path()));
        boolean duplicate = kept.stream().anyMatch(k -> sameContent(k, e));
        if (!loopsOnItself && !duplicate) {
          kept.add(e);
        }
      }
      if (kept.size() > 1) {
        unresolved.add(kept.stream().map(Entry::path).toList());
      } else if (kept.size() == 1) {
        folded.add(kept.get(0));
      }
    }
    if (!unresolved.isEmpty()) {
      throw new PackagingException(
          artifact
              + ": these paths differ only in case and would overwrite each other when unpacked"
              + " on Windows or macOS: "
              + unresolved
              + ". Remove one of each pair from the tree before packaging.");
    }
    return folded;
  }

  private static boolean sameContent(Entry a, Entry b) {
    if (a.kind() != b.kind()) {
      return false;
    }
    return switch (a.kind()) {
      case DIRECTORY -> true;
      case SYMLINK -> a.linkTarget().equals(b.linkTarget());
      case FILE -> a.content().equals(b.content());
    };
  }

  /** Where a symlink points, as a layout path (one hop, {@code ..} resolved). */
  private static String target(Entry link) {
    List<String> parts = new ArrayList<>();
    if (!link.parent().isEmpty()) {
      parts.addAll(List.of(link.parent().split("/")));
    }
    for (String part : link.linkTarget().split("/")) {
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String lower(String path) {
    return path.toLowerCase(Locale.ROOT);
  }
}
