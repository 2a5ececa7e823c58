package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.Credentials;
import java.time.Duration;
import java.util.Objects;

/**
 * How downloads talk to the network, and when they give up. Every wait has a deadline: a server
 * that never answers, goes silent mid-body or drips bytes fails the build within about a minute
 * with defaults, naming the URL and the setting to change.
 *
 * @param connectTimeout TCP/TLS connect timeout ({@code pbs.connectTimeout})
 * @param stallTimeout how long to wait for response headers, or for the next byte of a body, before
 *     retrying or resuming ({@code pbs.stallTimeout})
 * @param lowSpeedLimit bytes per second below which a download is too slow ({@code
 *     pbs.lowSpeedLimit}), as curl's {@code --speed-limit}; 0 turns the check off
 * @param lowSpeedTime how long a download may stay below {@code lowSpeedLimit} ({@code
 *     pbs.lowSpeedTime}), as curl's {@code --speed-time}
 * @param attempts tries per request on 5xx answers, timeouts and failed connections
 * @param initialBackoff wait before the first retry; doubles each time
 * @param resumes how many times a cut transfer is resumed with a {@code Range} request
 * @param credentials sent to the mirror's host only (never to a host it redirects to)
 * @param proxy optional proxy
 */
public record HttpSettings(
    Duration connectTimeout,
    Duration stallTimeout,
    long lowSpeedLimit,
    Duration lowSpeedTime,
    int attempts,
    Duration initialBackoff,
    int resumes,
    Credentials credentials,
    ProxySettings proxy) {

  /** A download slower than this (10 KiB/s) for {@link #DEFAULT_LOW_SPEED_TIME} fails. */
  public static final long DEFAULT_LOW_SPEED_LIMIT = 10 * 1024;

  public static final Duration DEFAULT_LOW_SPEED_TIME = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(20);

  public HttpSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(lowSpeedTime, "lowSpeedTime");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    credentials =
        credentials != null
            ? credentials
            : Credentials.none("give the mirror's credentials to the build (pbs.serverId)");
  }

  public static HttpSettings defaults() {
    return new HttpSettings(
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_STALL_TIMEOUT,
        DEFAULT_LOW_SPEED_LIMIT,
        DEFAULT_LOW_SPEED_TIME,
        3,
        Duration.ofMillis(500),
        5,
        null,
        null);
  }

  public HttpSettings withCredentials(Credentials value) {
    return new HttpSettings(
        connectTimeout,
        stallTimeout,
        lowSpeedLimit,
        lowSpeedTime,
        attempts,
        initialBackoff,
        resumes,
        value,
        proxy);
  }

  public HttpSettings withProxy(ProxySettings value) {
    return new HttpSettings(
        connectTimeout,
        stallTimeout,
        lowSpeedLimit,
        lowSpeedTime,
        attempts,
        initialBackoff,
        resumes,
        credentials,
        value);
  }

  public HttpSettings withRetries(int newAttempts, Duration newBackoff) {
    return new HttpSettings(
        connectTimeout,
        stallTimeout,
        lowSpeedLimit,
        lowSpeedTime,
        newAttempts,
        newBackoff,
        resumes,
        credentials,
        proxy);
  }

  public HttpSettings withTimeouts(Duration connect, Duration stall) {
    return new HttpSettings(
        connect,
        stall,
        lowSpeedLimit,
        lowSpeedTime,
        attempts,
        initialBackoff,
        resumes,
        credentials,
        proxy);
  }

  public HttpSettings withLowSpeed(long bytesPerSecond, Duration time) {
    return new HttpSettings(
        connectTimeout,
        stallTimeout,
        bytesPerSecond,
        time,
        attempts,
        initialBackoff,
        resumes,
        credentials,
        proxy);
  }

  public HttpSettings withResumes(int value) {
    return new HttpSettings(
        connectTimeout,
        stallTimeout,
        lowSpeedLimit,
        lowSpeedTime,
        attempts,
        initialBackoff,
        value,
        credentials,
        proxy);
  }
}
