package dev.pbstoolchain.oci.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A registry login. The secret is never part of {@link #toString()}, so it cannot reach a log or an
 * error message by accident.
 *
 * @param username the user, or {@code <token>} when the secret is an identity (refresh) token
 * @param secret the password, access token or identity token
 */
public record Credentials(String username, String secret) {

  /** The user name docker's credential helpers give for identity tokens. */
  static final String IDENTITY_TOKEN_USER = "<token>";

  public static Credentials identityToken(String token) {
    return new Credentials(IDENTITY_TOKEN_USER, token);
  }

  /** True when the secret is an OAuth2 refresh token rather than a password. */
  public boolean isIdentityToken() {
    return IDENTITY_TOKEN_USER.equals(username);
  }

  /** The value of an {@code Authorization: Basic} header. */
  String basicHeader() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", secret=****]";
  }
}
