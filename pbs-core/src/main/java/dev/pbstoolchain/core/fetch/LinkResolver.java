package dev.pbstoolchain.core.fetch;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The symbolic links an unpack has created, and where a link target really leads: component by
 * component, as the kernel resolves a path, substituting the links created so far ({@code l -> .}
 * makes {@code l/l/..} climb one level, not zero). A lexical check of the target text alone lets
 * such chains out of the destination.
 */
final class LinkResolver {

  /** Linux gives up after 40 links in one resolution (ELOOP); so do we. */
  static final int MAX_LINKS = 40;

  private final Path root;
  private final Map<Path, String> links = new LinkedHashMap<>();

  LinkResolver(Path root) {
    this.root = root;
  }

  void add(Path link, String target) {
    links.put(link, target);
  }

  void remove(Path path) {
    links.remove(path);
  }

  boolean isLink(Path path) {
    return links.containsKey(path);
  }

  /** The links created, in order, for a last check once every entry is in place. */
  Map<Path, String> all() {
    return new LinkedHashMap<>(links);
  }

  /** The first created link among {@code path}'s parents (below the root), if any. */
  Optional<Path> linkAbove(Path path) {
    for (Path p = path.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (links.containsKey(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code target}, read from the directory of {@code link}, would leave the root, or empty
   * when it stays inside (or dangles inside). Absolute targets are for the caller to refuse.
   */
  Optional<String> escape(Path link, String target) {
    Deque<String> pending = new ArrayDeque<>(components(target));
    Path current = link.getParent();
    Set<String> through = new LinkedHashSet<>();
    int followed = 0;
    while (!pending.isEmpty()) {
      String part = pending.removeFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (current.equals(root)) {
          return Optional.of(
              "climbs out of the destination" + (through.isEmpty() ? "" : via(through)));
        }
        current = current.getParent();
        continue;
      }
      Path next;
      try {
        next = current.resolve(part);
      } catch (InvalidPathException e) {
        return Optional.empty(); // the name cannot exist here, so the link dangles
      }
      String linked = links.get(next);
      if (linked == null) {
        current = next;
        continue;
      }
      if (++followed > MAX_LINKS) {
        return Optional.of("is part of a loop of symbolic links" + via(through));
      }
      if (linked.startsWith("/")) {
        return Optional.of("leads to the absolute path '" + linked + "'" + via(through));
      }
      through.add(root.relativize(next) + " -> '" + linked + "'");
      List<String> parts = components(linked);
      for (int i = parts.size() - 1; i >= 0; i--) {
        pending.addFirst(parts.get(i));
      }
    }
    return Optional.empty();
  }

  private static String via(Set<String> through) {
    return " through " + String.join(", ", through);
  }

  private static List<String> components(String target) {
    return List.of(target.split("[/\\\\]", -1));
  }
}
