package dev.pbstoolchain.licenses;

/**
 * The one exception of the licence aggregator: names the archive/entry, the problem and the fix.
 */
public class LicenseException extends Exception {

  private static final long serialVersionUID = 1L;

  public LicenseException(String message) {
    super(message);
  }

  public LicenseException(String message, Throwable cause) {
    super(message, cause);
  }
}
