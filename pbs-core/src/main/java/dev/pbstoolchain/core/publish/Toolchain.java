package dev.pbstoolchain.core.publish;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The pbs-toolchain version this core belongs to, as build manifests record it. */
final class Toolchain {

  private Toolchain() {}

  static String version() {
    try (InputStream in = Toolchain.class.getResourceAsStream("toolchain.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
