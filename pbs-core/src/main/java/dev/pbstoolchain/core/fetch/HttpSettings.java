package dev.pbstoolchain.core.fetch;

import java.time.Duration;

/**
 * How downloads talk to the network.
 *
 * @param connectTimeout TCP/TLS connect timeout
 * @param responseTimeout time allowed until response headers arrive
 * @param attempts tries per request on 5xx answers and connection failures
 * @param initialBackoff wait before the first retry; doubles each time
 * @param resumes how many times a cut transfer is resumed with a {@code Range} request
 * @param bearerToken optional token sent as {@code Authorization: Bearer} to the mirror's host only
 * @param proxy optional proxy
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration responseTimeout,
    int attempts,
    Duration initialBackoff,
    int resumes,
    String bearerToken,
    ProxySettings proxy) {

  public static HttpSettings defaults() {
    return new HttpSettings(
        Duration.ofSeconds(30), Duration.ofSeconds(60), 4, Duration.ofMillis(500), 5, null, null);
  }

  public HttpSettings withBearerToken(String token) {
    return new HttpSettings(
        connectTimeout, responseTimeout, attempts, initialBackoff, resumes, token, proxy);
  }

  public HttpSettings withProxy(ProxySettings newProxy) {
    return new HttpSettings(
        connectTimeout, responseTimeout, attempts, initialBackoff, resumes, bearerToken, newProxy);
  }

  public HttpSettings withRetries(int newAttempts, Duration newBackoff) {
    return new HttpSettings(
        connectTimeout, responseTimeout, newAttempts, newBackoff, resumes, bearerToken, proxy);
  }
}
