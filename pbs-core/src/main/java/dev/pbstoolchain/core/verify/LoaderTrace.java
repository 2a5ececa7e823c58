package dev.pbstoolchain.core.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which libpython a run loaded, from what the loader itself reports: glibc's {@code LD_DEBUG=libs}
 * trace ("calling init: PATH", else the last "trying file=PATH" of the library's search) and Wine's
 * {@code WINEDEBUG=+loaddll} ("Loaded L"C:\\...\\python311.dll"").
 */
final class LoaderTrace {

  private static final Pattern FIND = Pattern.compile("\\bfind library=(\\S+)");
  private static final Pattern TRYING = Pattern.compile("\\btrying file=(.+)$");
  private static final Pattern INIT = Pattern.compile("\\bcalling init: (.+)$");
  private static final Pattern WINE_LOADED =
      Pattern.compile("loaddll:\\w+ Loaded L\"([^\"]+)\" at \\S+: (\\S+)");

  private LoaderTrace() {}

  /**
   * The libpython files a glibc loader mapped, from the trace files {@code dir/prefix.PID}: those
   * it initialized, else (a library without initializers) where its search for one ended.
   */
  static List<String> glibcLibpython(Path dir, String prefix) throws IOException {
    Set<String> initialized = new LinkedHashSet<>();
    Set<String> searched = new LinkedHashSet<>();
    List<Path> traces;
    try (Stream<Path> files = Files.list(dir)) {
      traces =
          files.filter(f -> f.getFileName().toString().startsWith(prefix + ".")).sorted().toList();
    }
    for (Path trace : traces) {
      String searching = null;
      String lastTried = null;
      for (String line : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
        Matcher m;
        if ((m = FIND.matcher(line)).find()) {
          searchEnded(searched, searching, lastTried);
          searching = m.group(1);
          lastTried = null;
        } else if ((m = TRYING.matcher(line)).find()) {
          lastTried = m.group(1).strip();
        } else if ((m = INIT.matcher(line)).find()) {
          searchEnded(searched, searching, lastTried);
          searching = null;
          String path = m.group(1).strip();
          if (isLibpython(path)) {
            initialized.add(path);
          }
        }
      }
      searchEnded(searched, searching, lastTried);
    }
    return new ArrayList<>(initialized.isEmpty() ? searched : initialized);
  }

  /** The loader stops searching at the first file it can map: the last one it tried. */
  private static void searchEnded(Set<String> searched, String library, String lastTried) {
    if (library != null && lastTried != null && isLibpython(library)) {
      searched.add(lastTried);
    }
  }

  /** The Python DLLs Wine loaded from files (not its own built-ins), as Windows paths. */
  static List<String> wineLibpython(String output) {
    List<String> loaded = new ArrayList<>();
    Matcher m = WINE_LOADED.matcher(output);
    while (m.find()) {
      String path = m.group(1).replace("\\\\", "\\");
      String name = path.substring(path.lastIndexOf('\\') + 1).toLowerCase(java.util.Locale.ROOT);
      if (name.startsWith("python3") && name.endsWith(".dll") && m.group(2).equals("native")) {
        loaded.add(path);
      }
    }
    return loaded;
  }

  /** The app's output without Wine's loader trace lines. */
  static String withoutWineTrace(String output) {
    StringBuilder kept = new StringBuilder();
    for (String line : output.split("\n", -1)) {
      if (!line.contains(":trace:loaddll:")) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString().stripTrailing();
  }

  static boolean isLibpython(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.startsWith("libpython3");
  }
}
