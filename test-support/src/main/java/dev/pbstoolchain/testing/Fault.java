package dev.pbstoolchain.testing;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@link LoopbackServer} does wrong on purpose for a request: each fault is one way real
 * mirrors, proxies and networks have been seen to fail.
 */
public sealed interface Fault {

  /** Answers {@code status} with no body (and the given headers, e.g. Retry-After). */
  record Status(int status, Map<String, String> headers) implements Fault {}

  /** Sends the body at {@code bytesPerSecond} (a drip that never quite stops). */
  record Drip(long bytesPerSecond) implements Fault {}

  /** Reads the request and says nothing for {@code millis}, then closes the connection. */
  record SilentBeforeHeaders(long millis) implements Fault {}

  /** Sends headers and {@code bytes} of the body, goes silent for {@code millis}, then cuts. */
  record StallAfter(long bytes, long millis) implements Fault {}

  /** Sends headers and {@code bytes} of the body, then closes (FIN) or resets (RST). */
  record CutAfter(long bytes, boolean reset) implements Fault {}

  /** Announces a Content-Length off by {@code delta} from the bytes it sends. */
  record WrongLength(long delta) implements Fault {}

  /** Answers 200 with this body instead of the file (an HTML login or error page). */
  record Body(String contentType, byte[] bytes) implements Fault {}

  /** Answers a redirect to {@code location} (relative or absolute). */
  record Redirect(int status, String location) implements Fault {}

  /**
   * Sends {@code bytes} of the body, then waits until {@link #release()} (or the server closes):
   * lets a test act (kill a process) at a known point of a transfer.
   */
  record Hold(long bytes, CountDownLatch reached, CountDownLatch released) implements Fault {

    /** Waits until the transfer reached the point; false on timeout. */
    public boolean awaitReached(long seconds) throws InterruptedException {
      return reached.await(seconds, TimeUnit.SECONDS);
    }

    public void release() {
      released.countDown();
    }
  }

  static Fault status(int status) {
    return new Status(status, Map.of());
  }

  static Fault html(String page) {
    return new Body("text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  static Hold holdAfter(long bytes) {
    return new Hold(bytes, new CountDownLatch(1), new CountDownLatch(1));
  }
}
