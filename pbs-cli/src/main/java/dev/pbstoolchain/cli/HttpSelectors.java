package dev.pbstoolchain.cli;

/**
 * JDK 17's HTTP client keeps a selector thread blocked in native code until the client is
 * collected, and a JVM that exits waits ~300 ms for threads in native code. Interrupting that
 * thread shuts its (now idle) client down at once; JDK 21's HttpClient.close() does the same.
 */
final class HttpSelectors {

  private HttpSelectors() {}

  static void stop() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        thread.interrupt();
        try {
          thread.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
