package dev.pbstoolchain.core.verify;

import java.util.List;

/**
 * One smoke run of one artifact, as the report gives it.
 *
 * @param artifact the artifact's file name
 * @param runner how it ran: {@code native x86_64}, {@code qemu-aarch64-static -L SYSROOT}, {@code
 *     wine64}; empty when it did not run
 * @param outcome passed, failed, or skipped (with {@code detail} saying why)
 * @param isolated whether the host's Python installations were hidden from it
 * @param isolation what was hidden, or why nothing could be
 * @param command the command line, as run
 * @param exitCode the app's exit status; -1 when it did not finish or did not run
 * @param output what the app printed (stdout and stderr, the end of it when long)
 * @param libpython the libpython the loader mapped, relative to the unpacked artifact when inside
 * @param millis wall time of the run
 * @param detail one line for the report
 */
public record SmokeRun(
    String artifact,
    String runner,
    Outcome outcome,
    boolean isolated,
    String isolation,
    List<String> command,
    int exitCode,
    String output,
    String libpython,
    long millis,
    String detail) {

  /** How a run ended. */
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }

  public SmokeRun {
    command = List.copyOf(command);
  }

  static SmokeRun skipped(String artifact, String why) {
    return new SmokeRun(artifact, "", Outcome.SKIPPED, false, "", List.of(), -1, "", "", 0, why);
  }
}
