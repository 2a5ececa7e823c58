package dev.pbstoolchain.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The pbs-toolchain version this core belongs to, as build manifests record it and pbs-cli prints
 * it ({@code --version}, usage): one filtered resource for both.
 */
public final class Toolchain {

  private Toolchain() {}

  public static String version() {
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
