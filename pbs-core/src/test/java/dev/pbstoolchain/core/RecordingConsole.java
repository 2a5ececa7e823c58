package dev.pbstoolchain.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the core logged, so tests can assert on it. */
public final class RecordingConsole implements PbsConsole {

  public final List<String> infos = new CopyOnWriteArrayList<>();
  public final List<String> warnings = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    infos.add(message);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  @Override
  public void debug(String message) {}
}
