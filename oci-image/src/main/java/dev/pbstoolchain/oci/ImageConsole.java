package dev.pbstoolchain.oci;

/** Where the image library reports progress; the Maven plugin adapts it to Maven's log. */
public interface ImageConsole {

  void info(String message);

  void warn(String message);

  void debug(String message);

  /** A console that drops everything. */
  static ImageConsole silent() {
    return new ImageConsole() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }

  /** Prints info and warnings (and debug when verbose) to a stream, as the CLI does. */
  static ImageConsole printing(java.io.PrintStream out, boolean verbose) {
    return new ImageConsole() {
      @Override
      public void info(String message) {
        out.println(message);
      }

      @Override
      public void warn(String message) {
        out.println("warning: " + message);
      }

      @Override
      public void debug(String message) {
        if (verbose) {
          out.println(message);
        }
      }
    };
  }
}
