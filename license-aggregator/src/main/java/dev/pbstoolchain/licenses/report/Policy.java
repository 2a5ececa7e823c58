package dev.pbstoolchain.licenses.report;

import dev.pbstoolchain.licenses.model.Component;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A licence gate: denied SPDX ids fail the build; with an allow list, anything else fails too.
 * Without lists, copyleft and source-disclosure licences are only reported, with the extension
 * modules to exclude to get rid of them.
 *
 * @param deny SPDX ids that must not ship
 * @param allow if not empty, the only SPDX ids that may ship
 */
public record Policy(Set<String> deny, Set<String> allow) {

  private static final List<String> COPYLEFT =
      List.of("GPL", "LGPL", "AGPL", "SLEEPYCAT", "MPL", "EPL", "CDDL", "OSL");

  public Policy {
    deny = Set.copyOf(deny);
    allow = Set.copyOf(allow);
  }

  public static Policy none() {
    return new Policy(Set.of(), Set.of());
  }

  /** The outcome: violations fail, warnings inform. */
  public record Verdict(List<String> violations, List<String> warnings) {
    public boolean passed() {
      return violations.isEmpty();
    }
  }

  /** How the plugin's matrix names the exclusion list, for the warnings. */
  public static final String MATRIX_EXCLUDE = "`exclude` in matrix.yaml";

  public Verdict check(List<Component> components) {
    return check(components, Set.of(), MATRIX_EXCLUDE);
  }

  /**
   * Checks {@code components}; warnings name how to leave a copyleft library out.
   *
   * @param excludable the extension modules that can be excluded (shared libraries)
   * @param excludeOption how the front end names the exclusion list
   */
  public Verdict check(List<Component> components, Set<String> excludable, String excludeOption) {
    List<String> violations = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Component c : components) {
      for (String id : c.spdx()) {
        String who =
            c.name()
                + " ("
                + id
                + ")"
                + (c.usedBy().isEmpty()
                    ? " in the CPython core"
                    : ", pulled in by " + String.join(", ", c.sortedUsers()));
        if (deny.contains(id)) {
          violations.add(who + ": denied");
        } else if (!allow.isEmpty() && !allow.contains(id)) {
          violations.add(who + ": not in the allow list");
        } else if (isCopyleft(id)) {
          warnings.add(
              who
                  + ": a copyleft or source-disclosure licence"
                  + howToLeaveOut(c.sortedUsers(), excludable, excludeOption));
        }
      }
    }
    return new Verdict(violations, warnings);
  }

  private static String howToLeaveOut(
      List<String> users, Set<String> excludable, String excludeOption) {
    if (users.isEmpty()) {
      return "";
    }
    List<String> can = users.stream().filter(excludable::contains).toList();
    List<String> cannot = users.stream().filter(u -> !excludable.contains(u)).toList();
    StringBuilder hint = new StringBuilder();
    if (!can.isEmpty()) {
      hint.append("; add ")
          .append(String.join(", ", can))
          .append(" to ")
          .append(excludeOption)
          .append(" to leave ")
          .append(can.size() == 1 ? "it" : "them")
          .append(" out");
    }
    if (!cannot.isEmpty()) {
      hint.append("; ")
          .append(String.join(", ", cannot))
          .append(cannot.size() == 1 ? " is" : " are")
          .append(" compiled into libpython in this build and cannot be excluded");
    }
    return hint.toString();
  }

  static boolean isCopyleft(String id) {
    String upper = id.toUpperCase(Locale.ROOT);
    return COPYLEFT.stream().anyMatch(upper::startsWith);
  }
}
