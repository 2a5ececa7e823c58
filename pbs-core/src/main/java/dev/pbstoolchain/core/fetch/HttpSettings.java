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

  /** The defaults: every deadline set, no credentials, no proxy. */
  public static HttpSettings defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .timeouts(connectTimeout, stallTimeout)
        .lowSpeed(lowSpeedLimit, lowSpeedTime)
        .retries(attempts, initialBackoff)
        .resumes(resumes)
        .credentials(credentials)
        .proxy(proxy);
  }

  /** Builds settings; whatever is not set keeps its default. */
  public static final class Builder {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
    private long lowSpeedLimit = DEFAULT_LOW_SPEED_LIMIT;
    private Duration lowSpeedTime = DEFAULT_LOW_SPEED_TIME;
    private int attempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private int resumes = 5;
    private Credentials credentials;
    private ProxySettings proxy;

    private Builder() {}

    /** The connect timeout, and how long a response may stay silent before a retry or resume. */
    public Builder timeouts(Duration connect, Duration stall) {
      connectTimeout = connect;
      stallTimeout = stall;
      return this;
    }

    /** Fails a download below {@code bytesPerSecond} for {@code time} (0 bytes/s: never). */
    public Builder lowSpeed(long bytesPerSecond, Duration time) {
      lowSpeedLimit = bytesPerSecond;
      lowSpeedTime = time;
      return this;
    }

    /** {@code attempts} tries per request, the first retry after {@code backoff}, doubling. */
    public Builder retries(int value, Duration backoff) {
      attempts = value;
      initialBackoff = backoff;
      return this;
    }

    public Builder resumes(int value) {
      resumes = value;
      return this;
    }

    public Builder credentials(Credentials value) {
      credentials = value;
      return this;
    }

    public Builder proxy(ProxySettings value) {
      proxy = value;
      return this;
    }

    public HttpSettings build() {
      return new HttpSettings(
          connectTimeout,
          stallTimeout,
          lowSpeedLimit,
          lowSpeedTime,
          attempts,
          initialBackoff,
          resumes,
          credentials,
          proxy);
    }
  }
}
