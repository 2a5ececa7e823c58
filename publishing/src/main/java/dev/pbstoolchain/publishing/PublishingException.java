package dev.pbstoolchain.publishing;

/**
 * The one exception of the publishing library. Its message says what went wrong, where (key file,
 * package, repository file) and what to do about it; it never carries a passphrase or key material.
 */
public class PublishingException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean configurationProblem;

  private PublishingException(String message, Throwable cause, boolean configurationProblem) {
    super(message, cause);
    this.configurationProblem = configurationProblem;
  }

  /** A mistake in what the user gave (wrong passphrase, expired key, unreadable package...). */
  public static PublishingException configuration(String message) {
    return new PublishingException(message, null, true);
  }

  public static PublishingException configuration(String message, Throwable cause) {
    return new PublishingException(message, cause, true);
  }

  /** Something went wrong doing what was asked (disk, a tool that failed). */
  public static PublishingException failure(String message) {
    return new PublishingException(message, null, false);
  }

  public static PublishingException failure(String message, Throwable cause) {
    return new PublishingException(message, cause, false);
  }

  /** True when the user's input is at fault rather than the machine. */
  public boolean isConfigurationProblem() {
    return configurationProblem;
  }
}
