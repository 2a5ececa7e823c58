package dev.pbstoolchain.oci.registry;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to talk to registries.
 *
 * @param allowHttp plain HTTP to registries that are not on this machine (loopback registries may
 *     always use it)
 * @param credentials a login given directly (takes precedence over the docker config), or null
 * @param dockerConfig the docker {@code config.json} to read logins from, or null for none
 * @param attempts how many times a request is tried when the registry fails (5xx, 429, reset)
 * @param firstRetryDelay the wait before the second attempt; each further one waits twice as long
 */
public record RegistrySettings(
    boolean allowHttp,
    Credentials credentials,
    Path dockerConfig,
    int attempts,
    Duration firstRetryDelay) {

  public RegistrySettings {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
  }

  /** HTTPS (HTTP on loopback), the user's docker config, 5 attempts from 1 s apart. */
  public static RegistrySettings defaults() {
    return new RegistrySettings(
        false, null, DockerConfig.defaultLocation(), 5, Duration.ofSeconds(1));
  }

  public RegistrySettings withAllowHttp(boolean allow) {
    return new RegistrySettings(allow, credentials, dockerConfig, attempts, firstRetryDelay);
  }

  public RegistrySettings withCredentials(Credentials login) {
    return new RegistrySettings(allowHttp, login, dockerConfig, attempts, firstRetryDelay);
  }

  public RegistrySettings withDockerConfig(Path file) {
    return new RegistrySettings(allowHttp, credentials, file, attempts, firstRetryDelay);
  }

  public RegistrySettings withRetries(int newAttempts, Duration delay) {
    return new RegistrySettings(allowHttp, credentials, dockerConfig, newAttempts, delay);
  }
}
