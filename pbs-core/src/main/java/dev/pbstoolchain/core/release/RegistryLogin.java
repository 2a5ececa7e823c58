package dev.pbstoolchain.core.release;

import java.util.Objects;

/**
 * A login to a container registry, as a settings.xml {@code <server>} whose id is the registry's
 * host (e.g. {@code registry.example.com} or {@code localhost:5000}) gives it. Its secret never
 * reaches a log: {@link #toString()} leaves it out.
 *
 * @param registry the registry host it is for
 * @param username the user name
 * @param secret the password or token
 */
public record RegistryLogin(String registry, String username, String secret) {

  public RegistryLogin {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "RegistryLogin[" + registry + ", " + username + ", secret ***]";
  }
}
