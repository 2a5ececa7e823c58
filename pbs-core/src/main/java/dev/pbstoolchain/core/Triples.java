package dev.pbstoolchain.core;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The target triples python-build-standalone publishes, and the build host's own. */
public final class Triples {

  /** Every triple PBS has published under the {@code cpython-V+DATE-TRIPLE-FLAVOUR} names. */
  public static final List<String> KNOWN =
      List.of(
          "x86_64-unknown-linux-gnu",
          "x86_64_v2-unknown-linux-gnu",
          "x86_64_v3-unknown-linux-gnu",
          "x86_64_v4-unknown-linux-gnu",
          "x86_64-unknown-linux-musl",
          "x86_64_v2-unknown-linux-musl",
          "x86_64_v3-unknown-linux-musl",
          "x86_64_v4-unknown-linux-musl",
          "aarch64-unknown-linux-gnu",
          "aarch64-unknown-linux-musl",
          "i686-unknown-linux-gnu",
          "armv7-unknown-linux-gnueabi",
          "armv7-unknown-linux-gnueabihf",
          "ppc64le-unknown-linux-gnu",
          "s390x-unknown-linux-gnu",
          "riscv64-unknown-linux-gnu",
          "aarch64-apple-darwin",
          "x86_64-apple-darwin",
          "x86_64-pc-windows-msvc",
          "i686-pc-windows-msvc",
          "aarch64-pc-windows-msvc");

  /** Known triples, longest first, so a prefix never shadows a longer match when parsing. */
  public static final List<String> LONGEST_FIRST =
      KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();

  private Triples() {}

  public static boolean isKnown(String triple) {
    return KNOWN.contains(triple);
  }

  public static boolean isWindows(String triple) {
    return triple.contains("-windows-");
  }

  public static boolean isDarwin(String triple) {
    return triple.endsWith("-apple-darwin");
  }

  /** 32 for the 32-bit targets (i686, armv7), 64 for the others. */
  public static int pointerWidth(String triple) {
    return triple.startsWith("i686-") || triple.startsWith("armv7-") ? 32 : 64;
  }

  public static boolean isMusl(String triple) {
    return triple.endsWith("-linux-musl");
  }

  /** The triple of the machine this JVM runs on, in PBS's spelling. */
  public static String host() {
    return host(System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  static String host(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          case "x86", "i386", "i686" -> "i686";
          case "ppc64le" -> "ppc64le";
          case "s390x" -> "s390x";
          case "riscv64" -> "riscv64";
          default -> osArch;
        };
    if (os.startsWith("windows")) {
      return arch + "-pc-windows-msvc";
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return arch + "-apple-darwin";
    }
    return arch + "-unknown-linux-gnu";
  }
}
