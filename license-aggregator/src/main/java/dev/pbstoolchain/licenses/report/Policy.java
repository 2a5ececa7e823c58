package dev.pbstoolchain.licenses.report;

import dev.pbstoolchain.licenses.model.Component;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A licence gate: denied SPDX ids fail the build; with an allow list, anything else fails too.
 * Without lists, copyleft and source-disclosure licences are only reported, with the module to drop
 * to get rid of them.
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

  public Verdict check(List<Component> components) {
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
                  + (c.usedBy().isEmpty()
                      ? ""
                      : "; drop " + String.join(", ", c.sortedUsers()) + " to avoid shipping it"));
        }
      }
    }
    return new Verdict(violations, warnings);
  }

  static boolean isCopyleft(String id) {
    String upper = id.toUpperCase(Locale.ROOT);
    return COPYLEFT.stream().anyMatch(upper::startsWith);
  }
}
