package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the fetch core logged, so tests can assert on it. */
final class RecordingConsole implements PbsConsole {

  final List<String> infos = new CopyOnWriteArrayList<>();
  final List<String> warnings = new CopyOnWriteArrayList<>();

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
