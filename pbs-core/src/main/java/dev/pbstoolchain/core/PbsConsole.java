package dev.pbstoolchain.core;

import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.publishing.PublishingConsole;

/**
 * Where the release core reports progress ({@code info}, {@code warn}, {@code debug}); the Maven
 * plugin adapts it to Maven's log. It is the image and publishing libraries' console too ({@link
 * ImageConsole} declares the three methods, {@link PublishingConsole} the first two), so the steps
 * hand it to them as it is. (The libraries cannot share the core's type: they must not depend on
 * pbs-core.)
 */
public interface PbsConsole extends ImageConsole, PublishingConsole {

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
