package dev.pbstoolchain.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Plain credentials for one server, as a front end found them (Maven: a {@code <server>} of
 * settings.xml, decrypted; pbs-cli: {@code --token}). The secret leaves this object only as an HTTP
 * Authorization header: {@link #toString()} and every message name the source and the user, never
 * the password or token.
 */
public final class Credentials {

  /** How the secret is sent. */
  public enum Scheme {
    /** None: requests go without an Authorization header. */
    NONE,
    /** RFC 7617: {@code Basic base64(user:password)}. */
    BASIC,
    /** RFC 6750: {@code Bearer token}. */
    BEARER
  }

  private final Scheme scheme;
  private final String username;
  private final String secret;
  private final String source;

  private Credentials(Scheme scheme, String username, String secret, String source) {
    this.scheme = scheme;
    this.username = username;
    this.secret = secret;
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * No credentials; {@code howToSet} tells a user who needs some where they go (e.g. "add a
   * &lt;server&gt; with id 'pbs-mirror' to settings.xml").
   */
  public static Credentials none(String howToSet) {
    return new Credentials(Scheme.NONE, null, null, howToSet);
  }

  /** A user and password, sent as Basic authentication; {@code source} names where they are. */
  public static Credentials basic(String username, String password, String source) {
    return new Credentials(
        Scheme.BASIC,
        Objects.requireNonNull(username, "username"),
        Objects.requireNonNullElse(password, ""),
        source);
  }

  /** A token, sent as a Bearer token; {@code source} names where it is. */
  public static Credentials bearer(String token, String source) {
    return new Credentials(Scheme.BEARER, null, Objects.requireNonNull(token, "token"), source);
  }

  public Scheme scheme() {
    return scheme;
  }

  public boolean isPresent() {
    return scheme != Scheme.NONE;
  }

  /** The user name (Basic only), which may be shown; never the password. */
  public String username() {
    return username;
  }

  /**
   * Where the credentials come from (e.g. "&lt;server&gt; 'pbs-mirror' in settings.xml"), or for
   * {@link Scheme#NONE} how to give some.
   */
  public String source() {
    return source;
  }

  /** The value of the Authorization header, or null for none. */
  public String authorizationHeader() {
    return switch (scheme) {
      case NONE -> null;
      case BASIC ->
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
      case BEARER -> "Bearer " + secret;
    };
  }

  /** Whether {@code text} contains the secret (for checks that nothing printed it). */
  public boolean appearsIn(String text) {
    return secret != null && !secret.isEmpty() && text != null && text.contains(secret);
  }

  /** What a message may say about them: the scheme, user and source, never the secret. */
  public String describe() {
    return switch (scheme) {
      case NONE -> "no credentials";
      case BASIC -> "user '" + username + "' of " + source;
      case BEARER -> "the token of " + source;
    };
  }

  @Override
  public String toString() {
    return "Credentials[" + describe() + "]";
  }
}
