package dev.pbstoolchain.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a real tool (a judge such as dpkg-shlibdeps, or a compiler building a fixture): the one
 * process runner of the tests. Stdout and stderr apart ({@link #run}), or merged into one text as a
 * terminal shows them ({@link #runMerged}, which {@link Sh} offers with a shorter result).
 */
public final class ExternalTool {

  /** Exit status and what the tool printed (merged runs: everything in stdout, stderr empty). */
  public record Result(int exitCode, String stdout, String stderr) {

    /** This result, or an AssertionError with everything the tool said. */
    public Result orFail() {
      if (exitCode != 0) {
        throw new AssertionError("exit " + exitCode + "\n" + stdout + stderr);
      }
      return this;
    }
  }

  private ExternalTool() {}

  public static Result run(String... command) {
    return run(null, Map.of(), command);
  }

  /** Runs {@code command} in {@code cwd} (null: here) with {@code env} added, stdin closed. */
  public static Result run(Path cwd, Map<String, String> env, String... command) {
    return start(cwd, env, null, false, command);
  }

  /**
   * Runs {@code command} in {@code cwd} (null: here) with {@code env} added and {@code input} on
   * stdin (none when null), stderr merged into stdout.
   */
  public static Result runMerged(
      Path cwd, Map<String, String> env, byte[] input, String... command) {
    return start(cwd, env, input, true, command);
  }

  private static Result start(
      Path cwd, Map<String, String> env, byte[] input, boolean merged, String... command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(merged);
      if (cwd != null) {
        builder.directory(cwd.toFile());
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      CompletableFuture<String> err =
          merged
              ? CompletableFuture.completedFuture("")
              : CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
      try (var stdin = process.getOutputStream()) {
        if (input != null) {
          stdin.write(input);
        }
      }
      String out = text(process.getInputStream());
      return new Result(process.waitFor(), out, err.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String text(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
