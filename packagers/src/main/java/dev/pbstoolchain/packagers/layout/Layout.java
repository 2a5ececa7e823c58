package dev.pbstoolchain.packagers.layout;

import dev.pbstoolchain.packagers.PackagingException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The paths of one package, sorted by path (so every writer is reproducible whatever the file
 * system's order), with every parent directory present. Modes are normalised: files are 0755 when
 * their source is executable, else 0644; directories 0755 — so the umask never leaks in.
 */
public final class Layout {

  private final TreeMap<String, Entry> entries = new TreeMap<>();

  /** Adds an entry (and its missing parent directories); a later entry replaces an earlier one. */
  public Layout add(Entry entry) {
    String path = clean(entry.path());
    entries.put(path, entry.at(path));
    String parent = entry.at(path).parent();
    while (!parent.isEmpty() && !entries.containsKey(parent)) {
      entries.put(parent, Entry.directory(parent, 0755));
      parent = parent.contains("/") ? parent.substring(0, parent.lastIndexOf('/')) : "";
    }
    return this;
  }

  /** Adds a file from disk, mode from its executable bit. */
  public Layout addFile(String path, Path source) throws PackagingException {
    try {
      return add(
          Entry.file(path, source, Files.isExecutable(source) ? 0755 : 0644, Files.size(source)));
    } catch (IOException e) {
      throw new PackagingException("Cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds a directory tree under {@code prefix}: files, directories and symlinks as they are (links
   * are kept, not followed).
   */
  public Layout addTree(String prefix, Path root) throws PackagingException {
    return addTree(prefix, tree(root));
  }

  /**
   * Adds a tree walked by {@link #tree(Path)} under {@code prefix}, so that one walk serves every
   * format of a release.
   */
  public Layout addTree(String prefix, Layout tree) {
    for (Entry e : tree.entries.values()) {
      add(e.at(join(prefix, e.path())));
    }
    if (!prefix.isEmpty()) {
      add(Entry.directory(clean(prefix), 0755));
    }
    return this;
  }

  /**
   * A directory tree on disk, paths relative to {@code root}: files, directories and symlinks as
   * they are (links are kept, not followed).
   */
  public static Layout tree(Path root) throws PackagingException {
    Layout layout = new Layout();
    if (!Files.isDirectory(root)) {
      throw new PackagingException(root + " is not a directory; expected the tree to package");
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              String relative = relative(root, dir);
              if (!relative.isEmpty()) {
                layout.add(Entry.directory(relative, 0755));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              String path = relative(root, file);
              if (attrs.isSymbolicLink()) {
                layout.add(
                    Entry.symlink(path, decoded(file, Files.readSymbolicLink(file).toString())));
              } else if (attrs.isRegularFile()) {
                int mode = Files.isExecutable(file) ? 0755 : 0644;
                layout.add(Entry.file(path, file, mode, attrs.size()));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new PackagingException("Cannot read the tree " + root + ": " + e.getMessage(), e);
    }
    return layout;
  }

  public Collection<Entry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  public List<Entry> files() {
    return entries.values().stream().filter(Entry::isFile).toList();
  }

  public java.util.Optional<Entry> get(String path) {
    return java.util.Optional.ofNullable(entries.get(clean(path)));
  }

  /** Sum of file sizes. */
  public long payloadSize() {
    return files().stream().mapToLong(Entry::size).sum();
  }

  /** The entry whose path equals {@code path} but for case. */
  public java.util.Optional<Entry> getIgnoringCase(String path) {
    String wanted = clean(path);
    return entries.values().stream().filter(e -> e.path().equalsIgnoreCase(wanted)).findFirst();
  }

  /**
   * Paths that only differ in case, which collide when unpacked on Windows or macOS (PBS trees have
   * some, e.g. terminfo's {@code N/...} and {@code n/...}).
   */
  public List<List<String>> caseCollisions() {
    Map<String, List<String>> byLower = new TreeMap<>();
    for (String path : entries.keySet()) {
      byLower.computeIfAbsent(path.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(path);
    }
    return byLower.values().stream().filter(l -> l.size() > 1).toList();
  }

  /**
   * The file a symlink of this layout leads to, following links inside the layout; empty when it
   * leads outside, to a directory, or nowhere.
   */
  public Optional<Entry> fileBehind(Entry link) {
    Entry current = link;
    for (int hops = 0; hops < 40 && current.isSymlink(); hops++) {
      String target = current.linkTarget();
      if (target.startsWith("/")) {
        return Optional.empty();
      }
      List<String> parts = new ArrayList<>();
      if (!current.parent().isEmpty()) {
        parts.addAll(List.of(current.parent().split("/")));
      }
      for (String part : target.split("/")) {
        if (part.equals("..")) {
          if (parts.isEmpty()) {
            return Optional.empty();
          }
          parts.remove(parts.size() - 1);
        } else if (!part.isEmpty() && !part.equals(".")) {
          parts.add(part);
        }
      }
      String path = String.join("/", parts);
      // After case folding a link may spell a directory in its other case.
      Optional<Entry> next = get(path).or(() -> getIgnoringCase(path));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      current = next.get();
    }
    return current.isSymlink() || current.isDirectory() ? Optional.empty() : Optional.of(current);
  }

  /** Removes an entry and everything below it. */
  public Layout remove(String path) {
    String clean = clean(path);
    entries.keySet().removeIf(p -> p.equals(clean) || p.startsWith(clean + "/"));
    return this;
  }

  static String clean(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String relative(Path root, Path path) throws IOException {
    return decoded(path, root.relativize(path).toString().replace('\\', '/'));
  }

  /**
   * {@code name} as read from {@code file}, refused when the JVM could not decode it (it turns such
   * bytes into U+FFFD, and the package would silently ship a different name): under a non-UTF-8
   * locale (e.g. LANG unset, so ASCII) any non-ASCII name, under a UTF-8 one a name that is not
   * UTF-8.
   */
  private static String decoded(Path file, String name) throws IOException {
    if (name.indexOf('\uFFFD') < 0) {
      return name;
    }
    String encoding = System.getProperty("sun.jnu.encoding");
    throw new IOException(
        file
            + (encoding.equals("UTF-8")
                ? ": the name is not valid UTF-8, so it would be packaged under a different one;"
                    + " rename it"
                : ": this JVM decodes file names as "
                    + encoding
                    + " (from its locale), which cannot hold this name, so it would be packaged"
                    + " under a different one; run the build under a UTF-8 locale, e.g."
                    + " LC_ALL=C.UTF-8"));
  }

  private static String join(String prefix, String relative) {
    return prefix.isEmpty() ? relative : clean(prefix) + "/" + relative;
  }
}
