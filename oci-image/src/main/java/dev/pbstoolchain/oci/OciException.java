package dev.pbstoolchain.oci;

/**
 * The one exception of the image library. Its message says what went wrong, where (the base
 * reference, file, registry URL or layer path) and what to do about it.
 */
public class OciException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean configurationProblem;

  private OciException(String message, Throwable cause, boolean configurationProblem) {
    super(message, cause);
    this.configurationProblem = configurationProblem;
  }

  /** A mistake in what the user asked for (a base without the platform, a clash, bad owner). */
  public static OciException configuration(String message) {
    return new OciException(message, null, true);
  }

  /** Something went wrong doing what was asked (I/O, network, a registry refusing the push). */
  public static OciException failure(String message) {
    return new OciException(message, null, false);
  }

  public static OciException failure(String message, Throwable cause) {
    return new OciException(message, cause, false);
  }

  /** True when the user's configuration is at fault rather than the network or the files. */
  public boolean isConfigurationProblem() {
    return configurationProblem;
  }
}
