package dev.pbstoolchain.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@link ExternalTool}'s merged mode under short names: a real tool's stdout and stderr together,
 * as the tests that judge by a tool's whole output read it.
 */
public final class Sh {

  /** Exit code and output of one run. */
  public record Result(int code, String out) {
    public Result ok() {
      if (code != 0) {
        throw new AssertionError("exit " + code + ": " + out);
      }
      return this;
    }

    /** For runs that must be refused: fails the test if the tool exited 0. */
    public Result failed() {
      if (code == 0) {
        throw new AssertionError("exit 0, expected a failure: " + out);
      }
      return this;
    }
  }

  private Sh() {}

  public static Result run(String... command) {
    return run(null, Map.of(), command);
  }

  public static Result run(Path cwd, Map<String, String> env, String... command) {
    return run(cwd, env, null, command);
  }

  /** Runs with {@code input} on stdin (none when null). */
  public static Result run(Path cwd, Map<String, String> env, byte[] input, String... command) {
    ExternalTool.Result result = ExternalTool.runMerged(cwd, env, input, command);
    return new Result(result.exitCode(), result.stdout());
  }

  /** Runs here and requires exit 0; returns the output. */
  public static String ok(String... command) {
    return run(command).ok().out();
  }
}
