package dev.pbstoolchain.oci.testing;

import dev.pbstoolchain.oci.ImageConsole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every message, to assert what users read (and what they must never read). */
public final class RecordingConsole implements ImageConsole {

  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void debug(String message) {
    lines.add("DEBUG " + message);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public List<String> warnings() {
    return lines().stream().filter(l -> l.startsWith("WARN ")).map(l -> l.substring(5)).toList();
  }

  public String all() {
    return String.join("\n", lines());
  }
}
