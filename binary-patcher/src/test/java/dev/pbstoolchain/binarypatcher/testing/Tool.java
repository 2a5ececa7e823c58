package dev.pbstoolchain.binarypatcher.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a real tool (gcc, patchelf, readelf, the patched program...) and captures what it said. */
public final class Tool {

  /** Exit status and combined output. */
  public record Result(int exitCode, String stdout, String stderr) {

    public Result orFail() {
      if (exitCode != 0) {
        throw new AssertionError("exit " + exitCode + "\n" + stdout + stderr);
      }
      return this;
    }
  }

  private Tool() {}

  public static Result run(String... command) {
    return run(null, Map.of(), command);
  }

  public static Result run(Path cwd, Map<String, String> env, String... command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(command));
      if (cwd != null) {
        builder.directory(cwd.toFile());
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      var err = process.getErrorStream();
      var errText = new java.util.concurrent.CompletableFuture<String>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  errText.complete("");
                }
              });
      reader.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      reader.join();
      return new Result(code, out, errText.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Builds a command line from pieces, for readability at call sites. */
  public static String[] cmd(Object... parts) {
    List<String> list = new ArrayList<>();
    for (Object part : parts) {
      list.add(part.toString());
    }
    return list.toArray(String[]::new);
  }

  /** The source tree's test C files. */
  public static Path source(String name) {
    return Path.of("src/test/c/elf", name).toAbsolutePath();
  }
}
