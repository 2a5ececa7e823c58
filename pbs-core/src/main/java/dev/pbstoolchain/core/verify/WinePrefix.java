package dev.pbstoolchain.core.verify;

import dev.pbstoolchain.core.fetch.Directories;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Wine prefix of our own (no Windows Python in it), made once per machine: the first {@code
 * wineboot} takes half a minute, later runs reuse it. It is made beside its final place and renamed
 * in, so two builds never share a half-made one.
 */
final class WinePrefix {

  static final String DLL_OVERRIDES = "mscoree,mshtml=";
  private static final long INIT_SECONDS = 300;

  private WinePrefix() {}

  /** The prefix under {@code cache}, made now if it is not there yet. */
  static Path ensure(Path wine, Path cache) throws IOException {
    Path prefix = cache.resolve("wine-prefix");
    if (Files.isRegularFile(prefix.resolve("system.reg"))) {
      return prefix;
    }
    Files.createDirectories(cache);
    Path making = Files.createTempDirectory(cache, "wine-prefix.tmp-");
    try {
      Map<String, String> env = environment(making);
      run(List.of(wine.toString(), "wineboot", "--init"), env);
      // wineserver writes the registry when it exits: wait for it before moving the prefix.
      Optional<Path> server = wineserver(wine);
      if (server.isPresent()) {
        run(List.of(server.get().toString(), "-w"), env);
      }
      if (!Files.isRegularFile(making.resolve("system.reg"))) {
        throw new IOException("wineboot made no registry in " + making);
      }
      try {
        Files.move(making, prefix, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another build made it meanwhile.
      } catch (IOException e) {
        if (!Files.isRegularFile(prefix.resolve("system.reg"))) {
          throw e;
        }
      }
      return prefix;
    } finally {
      Directories.deleteQuietly(making);
    }
  }

  static Map<String, String> environment(Path prefix) {
    return Map.of(
        "WINEPREFIX",
        prefix.toString(),
        "WINEDEBUG",
        "-all",
        "WINEDLLOVERRIDES",
        DLL_OVERRIDES,
        "PATH",
        "/usr/local/bin:/usr/bin:/bin",
        "HOME",
        prefix.getParent().toString(),
        "LANG",
        "C.UTF-8");
  }

  private static Optional<Path> wineserver(Path wine) {
    Path dir = wine.toAbsolutePath().getParent();
    for (String name : List.of("wineserver", "wineserver64")) {
      if (Files.isExecutable(dir.resolve(name))) {
        return Optional.of(dir.resolve(name));
      }
    }
    return SmokeMachine.find(List.of(Path.of("/usr/bin"), Path.of("/usr/lib/wine")), "wineserver");
  }

  private static void run(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(INIT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " did not finish in " + INIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }
}
