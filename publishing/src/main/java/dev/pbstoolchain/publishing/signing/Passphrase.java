package dev.pbstoolchain.publishing.signing;

import java.util.Arrays;

/**
 * A key's passphrase and where it came from. Messages name the source (so users know what to fix);
 * nothing ever prints the characters, and {@link #close()} wipes them.
 */
public final class Passphrase implements AutoCloseable {

  /** The environment variable a release job sets when no other source is configured. */
  public static final String ENVIRONMENT_VARIABLE = "PBS_SIGNING_PASSPHRASE";

  private final char[] characters;
  private final String source;

  private Passphrase(char[] characters, String source) {
    this.characters = characters;
    this.source = source;
  }

  /**
   * A passphrase from {@code source}, e.g. "the password of settings.xml server 'release-key'". The
   * array is kept (not copied) and wiped on close.
   */
  public static Passphrase of(char[] characters, String source) {
    return new Passphrase(characters, source);
  }

  /** No passphrase: the key file must hold an unprotected key. */
  public static Passphrase none(String whereOneCouldBeGiven) {
    return new Passphrase(null, whereOneCouldBeGiven);
  }

  /** The {@value #ENVIRONMENT_VARIABLE} environment variable, or none when it is unset. */
  public static Passphrase fromEnvironment() {
    String value = System.getenv(ENVIRONMENT_VARIABLE);
    String source = "the environment variable " + ENVIRONMENT_VARIABLE;
    return value == null ? none(source) : of(value.toCharArray(), source);
  }

  public boolean isPresent() {
    return characters != null;
  }

  /** Where the passphrase came from (or could be given), for messages. */
  public String source() {
    return source;
  }

  char[] characters() {
    return characters;
  }

  @Override
  public void close() {
    if (characters != null) {
      Arrays.fill(characters, '\0');
    }
  }

  @Override
  public String toString() {
    return isPresent() ? "passphrase from " + source + " (hidden)" : "no passphrase";
  }
}
