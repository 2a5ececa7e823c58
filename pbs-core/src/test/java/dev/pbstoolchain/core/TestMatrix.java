package dev.pbstoolchain.core;

/** The matrix.yaml the release and step tests start from, spelled once. */
public final class TestMatrix {

  private TestMatrix() {}

  /**
   * pbs 3.11.10 of 20241016, the app {@code app} with a maintainer, and a first row building {@code
   * out/app} for x86_64-unknown-linux-gnu in FORMATS (e.g. {@code "tar.gz, deb"}); a test appends
   * its further rows.
   */
  public static String linuxApp(String formats) {
    return "pbs: {date: '20241016', version: 3.11.10}\n"
        + "app: {name: app, maintainer: 'M <m@example.com>'}\n"
        + "targets:\n"
        + "  - triple: x86_64-unknown-linux-gnu\n"
        + "    binary: out/app\n"
        + "    formats: ["
        + formats
        + "]\n";
  }
}
