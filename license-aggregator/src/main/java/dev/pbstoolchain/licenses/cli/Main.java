package dev.pbstoolchain.licenses.cli;

/** Entry point of {@code license-aggregator-<version>-cli.jar}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.err.println("license-aggregator: not implemented yet");
    System.exit(2);
  }
}
