package dev.pbstoolchain.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps what the core logged, so tests can assert on it: {@link #infos} and {@link #warnings} by
 * level, and {@link #lines} every message in order, warnings prefixed {@code WARN }, debug messages
 * {@code DEBUG }.
 */
public final class RecordingConsole implements PbsConsole {

  public final List<String> infos = new CopyOnWriteArrayList<>();
  public final List<String> warnings = new CopyOnWriteArrayList<>();
  public final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    infos.add(message);
    lines.add(message);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {
    lines.add("DEBUG " + message);
  }
}
