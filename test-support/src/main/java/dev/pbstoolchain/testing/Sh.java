package dev.pbstoolchain.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a real tool and captures its output (stdout and stderr together). */
public final class Sh {

  /** Exit code and output of one run. */
  public record Result(int code, String out) {
    public Result ok() {
      if (code != 0) {
        throw new AssertionError("exit " + code + ": " + out);
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
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
      if (cwd != null) {
        builder.directory(cwd.toFile());
      }
      builder.environment().putAll(env);
      Process p = builder.start();
      if (input != null) {
        p.getOutputStream().write(input);
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
