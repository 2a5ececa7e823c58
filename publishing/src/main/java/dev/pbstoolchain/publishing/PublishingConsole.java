package dev.pbstoolchain.publishing;

import java.io.PrintStream;

/** Where the publishing library reports what it did; the Maven plugin adapts it to Maven's log. */
public interface PublishingConsole {

  void info(String message);

  void warn(String message);

  /** A console that drops everything, for tests and quiet callers. */
  static PublishingConsole silent() {
    return new PublishingConsole() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}
    };
  }

  /** Prints info and warnings ({@code warning: } first) to a stream, as the CLI does. */
  static PublishingConsole printing(PrintStream out) {
    return new PublishingConsole() {
      @Override
      public void info(String message) {
        out.println(message);
      }

      @Override
      public void warn(String message) {
        out.println("warning: " + message);
      }
    };
  }
}
