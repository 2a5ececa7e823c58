package dev.pbstoolchain.publishing.rpm;

/** rpm's version comparison (rpmvercmp): alternating digit and letter segments, '~' and '^'. */
public final class RpmVersion {

  private RpmVersion() {}

  /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
  public static int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && separator(a.charAt(i))) {
        i++;
      }
      while (j < b.length() && separator(b.charAt(j))) {
        j++;
      }
      char ca = i < a.length() ? a.charAt(i) : 0;
      char cb = j < b.length() ? b.charAt(j) : 0;
      if (ca == '~' || cb == '~') {
        if (ca != '~') {
          return 1;
        }
        if (cb != '~') {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (ca == '^' || cb == '^') {
        if (ca == 0) {
          return -1;
        }
        if (cb == 0) {
          return 1;
        }
        if (ca != '^') {
          return 1;
        }
        if (cb != '^') {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (ca == 0 || cb == 0) {
        break;
      }
      boolean numeric = isDigit(ca);
      int si = i;
      int sj = j;
      while (i < a.length() && (numeric ? isDigit(a.charAt(i)) : isAlpha(a.charAt(i)))) {
        i++;
      }
      while (j < b.length() && (numeric ? isDigit(b.charAt(j)) : isAlpha(b.charAt(j)))) {
        j++;
      }
      if (j == sj) {
        return numeric ? 1 : -1;
      }
      String sa = a.substring(si, i);
      String sb = b.substring(sj, j);
      if (numeric) {
        sa = sa.replaceFirst("^0+", "");
        sb = sb.replaceFirst("^0+", "");
        if (sa.length() != sb.length()) {
          return sa.length() > sb.length() ? 1 : -1;
        }
      }
      int c = sa.compareTo(sb);
      if (c != 0) {
        return c < 0 ? -1 : 1;
      }
    }
    boolean aLeft = i < a.length();
    boolean bLeft = j < b.length();
    if (!aLeft && !bLeft) {
      return 0;
    }
    return aLeft ? 1 : -1;
  }

  private static boolean separator(char c) {
    return !isDigit(c) && !isAlpha(c) && c != '~' && c != '^';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
