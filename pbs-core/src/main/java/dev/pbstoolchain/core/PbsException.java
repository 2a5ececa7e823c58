package dev.pbstoolchain.core;

/**
 * The one exception of the fetch core. Its message says what went wrong, where (asset, URL, file or
 * archive entry) and what to do about it.
 */
public class PbsException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean configurationProblem;

  private PbsException(String message, Throwable cause, boolean configurationProblem) {
    super(message, cause);
    this.configurationProblem = configurationProblem;
  }

  /** A mistake in what the user asked for (unknown target, bad date, missing pin...). */
  public static PbsException configuration(String message) {
    return new PbsException(message, null, true);
  }

  public static PbsException configuration(String message, Throwable cause) {
    return new PbsException(message, cause, true);
  }

  /** Something went wrong doing what was asked (network, checksum, archive, disk). */
  public static PbsException failure(String message) {
    return new PbsException(message, null, false);
  }

  public static PbsException failure(String message, Throwable cause) {
    return new PbsException(message, cause, false);
  }

  /** True when the user's configuration is at fault rather than the network or the files. */
  public boolean isConfigurationProblem() {
    return configurationProblem;
  }
}
