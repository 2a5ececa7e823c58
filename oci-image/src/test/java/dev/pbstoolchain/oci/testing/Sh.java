package dev.pbstoolchain.oci.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a real tool and captures its output. */
public final class Sh {

  /** What a command did. */
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
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
      if (cwd != null) {
        builder.directory(cwd.toFile());
      }
      builder.environment().putAll(env);
      Process p = builder.start();
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

  /** Runs and requires exit 0; returns the output. */
  public static String ok(String... command) {
    return run(command).ok().out();
  }
}
