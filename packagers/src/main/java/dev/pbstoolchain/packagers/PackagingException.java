package dev.pbstoolchain.packagers;

/** The one exception of the packagers: says which artifact or input, what is wrong, what to do. */
public class PackagingException extends Exception {

  private static final long serialVersionUID = 1L;

  public PackagingException(String message) {
    super(message);
  }

  public PackagingException(String message, Throwable cause) {
    super(message, cause);
  }
}
