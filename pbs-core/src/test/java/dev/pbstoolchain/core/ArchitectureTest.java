package dev.pbstoolchain.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's shape, checked on its sources: no Maven type, and packages that depend on each other
 * without cycles (DESIGN.md's flow: release model, then fetch, pyo3, patch, licences, packaging,
 * verify, each depending only on the model and earlier steps).
 */
class ArchitectureTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/pbstoolchain/core");
  private static final Pattern CORE_REFERENCE =
      Pattern.compile("dev\\.pbstoolchain\\.core\\.([a-z0-9]+)\\.[A-Z]");

  @Test
  void noMavenTypeInTheCore() throws IOException {
    for (Path file : javaFiles()) {
      assertThat(Files.readString(file)).as(file.toString()).doesNotContain("org.apache.maven");
    }
  }

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> uses = packageGraph();
    assertThat(uses).containsKeys("release", "fetch", "packaging", "verify");
    for (String start : uses.keySet()) {
      assertThat(pathBack(uses, start, start, new TreeSet<>()))
          .as("a cycle through package " + start)
          .isEmpty();
    }
  }

  /** A path of uses from {@code from} back to {@code target}, or empty. */
  private static List<String> pathBack(
      Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
    for (String next : uses.getOrDefault(from, Set.of())) {
      if (next.equals(target)) {
        return List.of(from, next);
      }
      if (seen.add(next)) {
        List<String> rest = pathBack(uses, next, target, seen);
        if (!rest.isEmpty()) {
          List<String> path = new ArrayList<>(List.of(from));
          path.addAll(rest);
          return path;
        }
      }
    }
    return List.of();
  }

  private static Map<String, Set<String>> packageGraph() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path file : javaFiles()) {
      Path relative = SOURCES.relativize(file);
      if (relative.getNameCount() < 2) {
        continue; // the root package: exception, console, names; it uses no step
      }
      String pkg = relative.getName(0).toString();
      Set<String> targets = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
      Matcher m = CORE_REFERENCE.matcher(Files.readString(file));
      while (m.find()) {
        if (!m.group(1).equals(pkg)) {
          targets.add(m.group(1));
        }
      }
    }
    return uses;
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }
}
