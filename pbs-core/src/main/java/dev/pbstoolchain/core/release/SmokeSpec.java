package dev.pbstoolchain.core.release;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a smoke run does (matrix.yaml's {@code smoke: {args: [...], expect: REGEX, timeout: 30s}}):
 * run the app as its users get it, with these arguments, and require exit status 0 and output
 * matching {@code expect} within {@code timeout}.
 *
 * @param args the app's arguments
 * @param expect what its output (stdout and stderr) must contain, as a regular expression
 * @param timeout how long one run may take
 */
public record SmokeSpec(List<String> args, Pattern expect, Duration timeout) {

  public SmokeSpec {
    args = List.copyOf(args);
  }
}
