package dev.pbstoolchain.binarypatcher.cli;

import java.util.Locale;

/** {@code EI_OSABI} values by the names patchelf prints and accepts. */
final class OsAbi {

  private static final String[] NAMES = {
    "System V",
    "HP-UX",
    "NetBSD",
    "Linux",
    "GNU Hurd",
    null,
    "Solaris",
    "AIX",
    "IRIX",
    "FreeBSD",
    "Tru64",
    null,
    "OpenBSD",
    "OpenVMS"
  };

  private OsAbi() {}

  /** The name patchelf prints, or {@code 0xNN} for a value it has no name for. */
  static String name(int value) {
    if (value >= 0 && value < NAMES.length && NAMES[value] != null) {
      return NAMES[value];
    }
    return String.format(Locale.ROOT, "0x%02X", value);
  }

  /** Parses a name case-insensitively, with patchelf's aliases (sysv, gnu, hurd...). */
  static int parse(String text) {
    String name = text.strip().toLowerCase(Locale.ROOT);
    switch (name) {
      case "system-v", "sysv" -> {
        return 0;
      }
      case "gnu" -> {
        return 3;
      }
      case "gnu-hurd", "hurd" -> {
        return 4;
      }
      default -> {
        for (int i = 0; i < NAMES.length; i++) {
          if (NAMES[i] != null && NAMES[i].toLowerCase(Locale.ROOT).equals(name)) {
            return i;
          }
        }
        throw new IllegalArgumentException("unrecognized OS ABI");
      }
    }
  }
}
