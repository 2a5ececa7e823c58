package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import org.apache.maven.plugin.logging.Log;

/** Adapts the fetch core's console to Maven's log. */
final class MavenConsole implements PbsConsole {

  private final Log log;

  MavenConsole(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(message);
  }

  @Override
  public void warn(String message) {
    log.warn(message);
  }

  @Override
  public void debug(String message) {
    log.debug(message);
  }
}
