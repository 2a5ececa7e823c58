package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PropertyNames;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Watches one download across its retries and resumes: says how far it has got every {@link
 * #REPORT_EVERY} once it has lasted that long, and fails it when it stays below the low-speed limit
 * for the low-speed time (curl's {@code --speed-limit/--speed-time}), so a drip or a server that
 * stalls on every resume ends the build in about {@code lowSpeedTime}, not hours later.
 */
final class TransferWatch {

  static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  /** Samples closer than this are merged: the window needs a few per second at most. */
  private static final long SAMPLE_NANOS = 250_000_000L;

  /** A download that stayed below the low-speed limit: not worth resuming, the link is the same. */
  static final class TooSlowException extends TransferFailedException {
    private static final long serialVersionUID = 1L;

    TooSlowException(String message) {
      super(message);
    }
  }

  private record Sample(long nanos, long bytes) {}

  private final URI uri;
  private final String name;
  private final HttpSettings settings;
  private final PbsConsole console;
  private final LongSupplier clock;
  private final long started;
  private final ArrayDeque<Sample> window = new ArrayDeque<>();
  private long length = -1;
  private long bytes;
  private long lastReport;
  private long lastByte;

  TransferWatch(URI uri, HttpSettings settings, PbsConsole console) {
    this(uri, settings, console, System::nanoTime);
  }

  /** With a clock of its own (nanoseconds), for tests. */
  TransferWatch(URI uri, HttpSettings settings, PbsConsole console, LongSupplier clock) {
    this.clock = clock;
    this.uri = uri;
    String path = uri.getPath() == null ? "" : uri.getPath();
    this.name = path.substring(path.lastIndexOf('/') + 1);
    this.settings = settings;
    this.console = console;
    this.started = clock.getAsLong();
    this.lastReport = started;
    this.lastByte = started;
    window.add(new Sample(started, 0));
  }

  /** The whole length, when the server said it (for percentages). */
  void length(long total) {
    length = total;
  }

  /** Bytes received so far, over every resume. */
  long bytes() {
    return bytes;
  }

  /** {@code n} more bytes arrived. */
  void received(int n) throws TooSlowException {
    bytes += n;
    long now = clock.getAsLong();
    lastByte = now;
    check(now);
  }

  /** Nothing arrived for a while (a poll timed out, or a retry is about to be sent). */
  void idle() throws TooSlowException {
    check(clock.getAsLong());
  }

  private void check(long now) throws TooSlowException {
    Sample last = window.peekLast();
    if (now - last.nanos() >= SAMPLE_NANOS) {
      window.add(new Sample(now, bytes));
    }
    long span = settings.lowSpeedTime().toNanos();
    // Keep exactly one sample at or before the start of the window.
    while (window.size() > 1 && secondOldest().nanos() <= now - span) {
      window.removeFirst();
    }
    Sample oldest = window.peekFirst();
    if (settings.lowSpeedLimit() > 0 && span > 0 && now - oldest.nanos() >= span) {
      double seconds = (now - oldest.nanos()) / 1e9;
      double rate = (bytes - oldest.bytes()) / seconds;
      if (rate < settings.lowSpeedLimit()) {
        throw new TooSlowException(tooSlow(rate, seconds, now));
      }
    }
    if (now - lastReport >= REPORT_EVERY.toNanos()) {
      lastReport = now;
      console.info(progress(now));
    }
  }

  private Sample secondOldest() {
    var it = window.iterator();
    it.next();
    return it.next();
  }

  private String progress(long now) {
    double seconds = (now - started) / 1e9;
    String so =
        length > 0
            ? PbsFetcher.megabytes(bytes)
                + " of "
                + PbsFetcher.megabytes(length)
                + " ("
                + (bytes * 100 / length)
                + "%)"
            : PbsFetcher.megabytes(bytes);
    long silent = (now - lastByte) / 1_000_000_000L;
    return "Downloading "
        + name
        + ": "
        + so
        + " in "
        + Math.round(seconds)
        + " s, "
        + rate(bytes / Math.max(seconds, 0.001))
        + (silent >= 2 ? ", nothing received for " + silent + " s" : "");
  }

  private String tooSlow(double rate, double seconds, long now) {
    return "the download is too slow: "
        + rate(rate)
        + " over the last "
        + Math.round(seconds)
        + " s, below the limit of "
        + rate(settings.lowSpeedLimit())
        + " ("
        + PropertyNames.LOW_SPEED_LIMIT
        + "="
        + settings.lowSpeedLimit()
        + " bytes/s for "
        + PropertyNames.LOW_SPEED_TIME
        + "="
        + settings.lowSpeedTime().toSeconds()
        + " s); "
        + PbsFetcher.megabytes(bytes)
        + (length > 0 ? " of " + PbsFetcher.megabytes(length) : "")
        + " received in "
        + Math.round((now - started) / 1e9)
        + " s";
  }

  /** {@code 20 s}, or {@code 700 ms} below a second. */
  static String duration(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  static String rate(double bytesPerSecond) {
    if (bytesPerSecond >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / (1024 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f KB/s", bytesPerSecond / 1024);
  }

  URI uri() {
    return uri;
  }
}
