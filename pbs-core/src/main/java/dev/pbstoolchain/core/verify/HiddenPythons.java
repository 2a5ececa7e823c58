package dev.pbstoolchain.core.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host Python installations a smoke run must not be able to use: every {@code python3*}
 * directory under {@code /usr/lib}, {@code /usr/lib64} and {@code /usr/local/lib}, and the prefix
 * the bundled build was configured with (read from its {@code _sysconfigdata}: {@code /install} for
 * PBS), where an embedded interpreter that was never told its home looks. Under qemu the same
 * places inside the sysroot, which the emulator searches first.
 */
final class HiddenPythons {

  private static final List<String> LIBRARY_DIRS = List.of("usr/lib", "usr/lib64", "usr/local/lib");

  /** Prefixes that hold the whole system: only their Python directories are hidden. */
  private static final Set<String> SYSTEM_PREFIXES = Set.of("/", "/usr", "/usr/local");

  private static final Pattern PREFIX = Pattern.compile("'prefix':\\s*'([^']*)'");

  private HiddenPythons() {}

  /**
   * @param artifactRoot the unpacked artifact (never hidden, whatever its path)
   * @param pythonHome the bundled {@code python/} inside it
   * @param sysroot the glibc tree qemu runs the app against, if any
   */
  static List<Path> of(Path artifactRoot, Path pythonHome, Optional<Path> sysroot)
      throws IOException {
    List<Path> roots = new ArrayList<>(List.of(Path.of("/")));
    sysroot.ifPresent(roots::add);
    Set<String> prefixes = configuredPrefixes(pythonHome);
    Set<Path> hidden = new LinkedHashSet<>();
    for (Path root : roots) {
      for (String dir : LIBRARY_DIRS) {
        hidden.addAll(pythonDirs(root.resolve(dir)));
      }
      for (String prefix : prefixes) {
        Path under = root.resolve(prefix.substring(1));
        if (SYSTEM_PREFIXES.contains(prefix)) {
          hidden.addAll(pythonDirs(under.resolve("lib")));
          hidden.addAll(pythonDirs(under.resolve("lib64")));
        } else if (Files.isDirectory(under)) {
          hidden.add(under);
        }
      }
    }
    Path artifact = artifactRoot.toRealPath();
    List<Path> real = new ArrayList<>();
    for (Path path : hidden) {
      Path target = path.toRealPath();
      if (!artifact.startsWith(target) && !real.contains(target)) {
        real.add(target);
      }
    }
    return real;
  }

  /** The {@code prefix} of every {@code _sysconfigdata*.py} of the bundled standard library. */
  static Set<String> configuredPrefixes(Path pythonHome) throws IOException {
    Set<String> prefixes = new LinkedHashSet<>();
    Path lib = pythonHome.resolve("lib");
    if (!Files.isDirectory(lib)) {
      return prefixes;
    }
    try (Stream<Path> stdlibs = Files.list(lib)) {
      for (Path stdlib :
          stdlibs.filter(d -> d.getFileName().toString().startsWith("python3")).sorted().toList()) {
        if (!Files.isDirectory(stdlib)) {
          continue;
        }
        try (Stream<Path> files = Files.list(stdlib)) {
          for (Path data :
              files
                  .filter(f -> f.getFileName().toString().startsWith("_sysconfigdata"))
                  .filter(f -> f.getFileName().toString().endsWith(".py"))
                  .sorted()
                  .toList()) {
            Matcher m = PREFIX.matcher(Files.readString(data, StandardCharsets.ISO_8859_1));
            if (m.find() && m.group(1).startsWith("/")) {
              prefixes.add(Path.of(m.group(1)).normalize().toString());
            }
          }
        }
      }
    }
    return prefixes;
  }

  private static List<Path> pythonDirs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("python3"))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    }
  }
}
