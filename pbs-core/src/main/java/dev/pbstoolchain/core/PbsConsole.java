package dev.pbstoolchain.core;

/** Where the fetch core reports progress; the Maven plugin adapts it to Maven's log. */
public interface PbsConsole {

  void info(String message);

  void warn(String message);

  void debug(String message);

  /** A console that drops everything, for tests and quiet callers. */
  static PbsConsole silent() {
    return new PbsConsole() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }
}
